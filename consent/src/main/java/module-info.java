/**
 * privseg consent: the consent ledger, lawful-basis policies and the ledger-backed gate that
 * implements core's LawfulBasisGate. Depends on privseg core only. Flyway and H2 are needed only
 * by the JDBC store (optional dependencies).
 */
module dev.privseg.consent {
  requires transitive dev.privseg.core;
  requires com.google.common;
  requires static flyway.core;
  requires static com.h2database;

  exports dev.privseg.consent;
  exports dev.privseg.consent.ledger;
  exports dev.privseg.consent.store;
  exports dev.privseg.consent.store.jdbc;
}
