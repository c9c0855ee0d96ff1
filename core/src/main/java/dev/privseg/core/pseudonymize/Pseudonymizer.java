package dev.privseg.core.pseudonymize;

import dev.privseg.core.Checks;
import dev.privseg.core.SubjectId;

/**
 * Replaces a direct identifier by a pseudonym (GDPR Art. 4(5)): the same identifier and key always
 * give the same pseudonym, and without the key a pseudonym cannot be linked back. Implementations
 * are thread-safe.
 */
public interface Pseudonymizer extends dev.privseg.core.Described {

  /** The pseudonym of {@code subject}. */
  Pseudonym pseudonymize(SubjectId subject);

  /**
   * The pseudonym {@code subject} already has, without creating anything: what an access
   * request (GDPR Art. 15) may report. A keyed pseudonymizer derives it, so it always has one
   * (the default); one that issues pseudonyms and stores them returns one only if it was
   * issued.
   */
  default java.util.Optional<Pseudonym> existing(SubjectId subject) {
    return java.util.Optional.of(pseudonymize(subject));
  }

  /**
   * Opens the session one run of {@code subjects} subjects pseudonymizes through, a block at a
   * time. The pipeline opens one per run. One that stores its pseudonyms may answer blocks with
   * one query each, or load them all at once when a run asks for most of them, as a gate's
   * snapshot does; it must give exactly the pseudonyms {@link #pseudonymize} gives. The default
   * asks {@link #pseudonymize} subject by subject.
   */
  default PseudonymSession forRun(int subjects) {
    return list -> {
      java.util.List<Pseudonym> out = new java.util.ArrayList<>(list.size());
      for (SubjectId subject : list) {
        out.add(pseudonymize(subject));
      }
      return out;
    };
  }

  /** The method for the processing record, e.g. {@code "HMAC-SHA256"}. */
  @Override
  String description();

  /** The non-secret key name for the processing record. */
  String keyId();

  /**
   * Keyed HMAC-SHA256 (RFC 2104) of the UTF-8 identifier; the pseudonym is the unpadded
   * Base64url form of the 256-bit tag. One-way: re-linking means recomputing with the key.
   */
  static Pseudonymizer hmacSha256(KeyProvider keys) {
    return new HmacPseudonymizer(Checks.notNull(keys, "key provider"));
  }
}
