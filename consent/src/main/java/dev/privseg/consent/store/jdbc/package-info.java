/**
 * JDBC stores on H2 (the embedded default) and PostgreSQL: the ledger with batched,
 * transactional appends, subject directory, request log, segment memberships and privacy spends,
 * with schema migrations shipped in the jar (Flyway).
 */
package dev.privseg.consent.store.jdbc;
