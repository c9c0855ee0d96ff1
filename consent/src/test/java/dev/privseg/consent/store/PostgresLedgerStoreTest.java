package dev.privseg.consent.store;

import dev.privseg.consent.store.jdbc.JdbcLedgerStore;

/** The store contract against a real PostgreSQL server (see {@link Databases}). */
class PostgresLedgerStoreTest extends LedgerStoreContract {
  @Override
  LedgerStore newStore() {
    return JdbcLedgerStore.open(Databases.freshPostgresSchema(), "PostgreSQL test schema");
  }
}
