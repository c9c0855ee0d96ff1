package dev.privseg.consent.store;

class InMemoryLedgerStoreTest extends LedgerStoreContract {
  @Override
  LedgerStore newStore() {
    return new InMemoryLedgerStore();
  }
}
