/**
 * privseg consent: the consent ledger, lawful-basis policies, privacy signals and data subject
 * rights, implementing core's LawfulBasisGate. Depends on privseg core only. Its packages arrive
 * with the consent issue; until then hosts use LawfulBasisGate.allowList.
 */
module dev.privseg.consent {
  requires transitive dev.privseg.core;
}
