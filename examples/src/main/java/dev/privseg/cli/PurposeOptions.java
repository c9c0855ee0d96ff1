package dev.privseg.cli;

import dev.privseg.consent.ConsentPolicy;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The purposes with a policy, and how the policy decides: {@code --purpose ID[:BASIS]} and the
 * options a spec's {@code lawfulBasis.ledger} takes, with the spec's defaults, so that a
 * command decides subjects as the spec's runs decided them.
 */
final class PurposeOptions {
  @Option(names = "--spec", paramLabel = "SPEC", description = "Decide as this spec's runs "
      + "decide: its purpose and its lawfulBasis.ledger policy, instead of --purpose and the "
      + "options below. For a run, give the spec that made it.")
  java.nio.file.Path spec;

  @Option(names = "--direct-marketing", description = "The purposes are direct marketing: an "
      + "objection excludes whatever the basis (GDPR Art. 21(3)); as a spec's "
      + "lawfulBasis.ledger.directMarketing.")
  boolean directMarketing;

  @Option(names = "--opt-out-excludes", negatable = true, defaultValue = "true",
      fallbackValue = "true", description = "An opt-out of sale or sharing excludes the subject "
      + "(default: ${DEFAULT-VALUE}, as a spec's lawfulBasis.ledger.optOutExcludes).")
  boolean optOutExcludes;

  @Option(names = "--consent-expiry-months", paramLabel = "N", description = "Consent lapses "
      + "N months after it was given; as a spec's lawfulBasis.ledger.consentExpiryMonths.")
  Integer consentExpiryMonths;

  @Option(names = "--purpose", paramLabel = "ID[:BASIS]", description = "A purpose with a "
      + "policy, and the lawful basis it needs: subject export reports the decision for it, "
      + "subject object records an objection to it, activate decides a run's members for it "
      + "(repeatable; default marketing-segmentation:CONSENT).")
  List<String> purposes = List.of("marketing-segmentation:CONSENT");

  /** The spec's {@code keepRunsFor}, if a spec is given and sets it. */
  java.util.Optional<java.time.Period> keepRunsFor() {
    if (spec == null) {
      return java.util.Optional.empty();
    }
    try {
      return dev.privseg.spec.Spec.load(spec).keepRunsFor();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The spec's ledger policy, or a policy for each purpose given. */
  List<ConsentPolicy> policies() {
    if (spec != null) {
      try {
        return List.of(dev.privseg.spec.Spec.load(spec).ledgerPolicy().orElseThrow(() ->
            new dev.privseg.core.ConfigurationException("--spec " + spec + " has no consent "
                + "ledger (lawfulBasis.ledger): its runs were not decided by a policy")));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    List<ConsentPolicy> out = new ArrayList<>();
    for (String p : purposes) {
      String[] parts = p.split(":", 2);
      LawfulBasis basis = parts.length > 1 ? ConsentCommand.enumOf(LawfulBasis.class,
          parts[1], "--purpose " + parts[0]) : LawfulBasis.CONSENT;
      ConsentPolicy.Builder policy = ConsentPolicy.forPurpose(Purpose.of(parts[0],
          "purpose " + parts[0], basis)).directMarketing(directMarketing)
          .optOutOfSaleOrSharingExcludes(optOutExcludes);
      if (consentExpiryMonths != null) {
        if (consentExpiryMonths < 1) {
          throw new dev.privseg.core.ConfigurationException(
              "--consent-expiry-months must be at least 1");
        }
        policy.consentExpiresAfter(java.time.Period.ofMonths(consentExpiryMonths));
      }
      out.add(policy.build());
    }
    return out;
  }
}
