package dev.privseg.core;

/** The six lawful bases of GDPR Art. 6(1), points (a) to (f). */
public enum LawfulBasis {
  /** Art. 6(1)(a): the data subject has given consent for one or more specific purposes. */
  CONSENT,
  /** Art. 6(1)(b): necessary for a contract with the data subject. */
  CONTRACT,
  /** Art. 6(1)(c): necessary for compliance with a legal obligation. */
  LEGAL_OBLIGATION,
  /** Art. 6(1)(d): necessary to protect vital interests. */
  VITAL_INTERESTS,
  /** Art. 6(1)(e): necessary for a task in the public interest. */
  PUBLIC_TASK,
  /** Art. 6(1)(f): necessary for the legitimate interests of the controller, after balancing. */
  LEGITIMATE_INTERESTS
}
