package dev.privseg.signals;

import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.core.Checks;
import dev.privseg.core.PurposeId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How privacy signals translate into ledger events for the host's purposes: which IAB TCF
 * purposes (1 to 11) stand for which privseg purposes, which purposes an opt-out of sale, sharing
 * or targeted advertising (US signals) affects, and whether a Global Privacy Control signal counts
 * as such an opt-out. Immutable.
 *
 * <pre>{@code
 * SignalMapping mapping = SignalMapping.builder()
 *     .tcfPurpose(3, Purposes.MARKETING_SEGMENTATION.id())   // "create profiles for ads"
 *     .tcfPurpose(4, Purposes.MARKETING_SEGMENTATION.id())   // "use profiles to select ads"
 *     .optOutAffects(Purposes.MARKETING_SEGMENTATION.id())
 *     .gpcMeansOptOut(true)
 *     .build();
 * }</pre>
 *
 * @param tcfPurposes privseg purposes per TCF purpose number
 * @param optOutPurposes purposes an opt-out of sale, sharing or targeted advertising affects;
 *     empty means every purpose ({@link ConsentEvent#ALL_PURPOSES})
 * @param gpcMeansOptOut whether {@code Sec-GPC: 1} is an opt-out of sale and sharing (as the
 *     California regulations require)
 */
public record SignalMapping(Map<Integer, Set<PurposeId>> tcfPurposes,
    Set<PurposeId> optOutPurposes, boolean gpcMeansOptOut) {

  /** Copies the collections. */
  public SignalMapping {
    Map<Integer, Set<PurposeId>> copy = new LinkedHashMap<>();
    tcfPurposes.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
    tcfPurposes = Collections.unmodifiableMap(copy);
    optOutPurposes = Collections.unmodifiableSet(new LinkedHashSet<>(optOutPurposes));
  }

  /** Starts an empty mapping: no TCF purpose mapped, opt-outs affect every purpose, GPC ignored. */
  public static Builder builder() {
    return new Builder();
  }

  /** The purposes an opt-out is recorded for. */
  List<PurposeId> optOutTargets() {
    return optOutPurposes.isEmpty() ? List.of(ConsentEvent.ALL_PURPOSES)
        : List.copyOf(optOutPurposes);
  }

  /** Builds a {@link SignalMapping}. Not thread-safe. */
  public static final class Builder {
    private final Map<Integer, Set<PurposeId>> tcf = new LinkedHashMap<>();
    private final Set<PurposeId> optOut = new LinkedHashSet<>();
    private boolean gpc;

    private Builder() {}

    /** TCF purpose {@code number} (1 to 11) consents stand for {@code purpose}. */
    public Builder tcfPurpose(int number, PurposeId purpose) {
      Checks.check(number >= 1 && number <= 11, "TCF purpose must be 1 to 11 but was %s", number);
      tcf.computeIfAbsent(number, k -> new LinkedHashSet<>())
          .add(Checks.notNull(purpose, "purpose"));
      return this;
    }

    /** An opt-out of sale, sharing or targeted advertising affects {@code purpose}. */
    public Builder optOutAffects(PurposeId purpose) {
      optOut.add(Checks.notNull(purpose, "purpose"));
      return this;
    }

    /** Whether a Global Privacy Control signal is an opt-out of sale and sharing. */
    public Builder gpcMeansOptOut(boolean gpc) {
      this.gpc = gpc;
      return this;
    }

    /** The mapping. */
    public SignalMapping build() {
      return new SignalMapping(tcf, optOut, gpc);
    }
  }
}
