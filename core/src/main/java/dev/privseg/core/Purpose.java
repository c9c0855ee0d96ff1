package dev.privseg.core;

/**
 * A specified, explicit purpose of processing (GDPR Art. 5(1)(b)) and the lawful basis it requires.
 * A run is bound to exactly one purpose; nothing in it is processed for another.
 *
 * @param id the purpose's identifier
 * @param description a plain-language description, as shown to data subjects
 * @param requiredBasis the lawful basis the controller relies on for this purpose
 */
public record Purpose(PurposeId id, String description, LawfulBasis requiredBasis) {

  /** Validates the purpose. */
  public Purpose {
    Checks.notNull(id, "id");
    Checks.notBlank(description, "description");
    Checks.notNull(requiredBasis, "requiredBasis");
  }

  /** Creates a purpose from its identifier string. */
  public static Purpose of(String id, String description, LawfulBasis requiredBasis) {
    return new Purpose(PurposeId.of(id), description, requiredBasis);
  }
}
