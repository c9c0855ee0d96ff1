package dev.privseg.service;

/** The roles a caller's token may carry (see {@link ServiceSecurity}). */
final class Roles {
  static final String SUBJECT = "SUBJECT";
  static final String CAPTURE = "CAPTURE";
  static final String OPERATOR = "OPERATOR";
  static final String DPO = "DPO";

  private Roles() {}
}
