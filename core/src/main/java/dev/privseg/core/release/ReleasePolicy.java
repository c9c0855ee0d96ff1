package dev.privseg.core.release;

import dev.privseg.core.Checks;

/**
 * How segment profiles are released: a profile of a segment with fewer than
 * {@link #minSegmentSize()} members is suppressed (not described at all). Immutable.
 *
 * @param minSegmentSize the smallest segment whose profile is shown (at least 1; default 10)
 * @param mechanism how profiles are computed (default: exact)
 */
public record ReleasePolicy(int minSegmentSize, ProfileMechanism mechanism) {

  /** The default minimum segment size. */
  public static final int DEFAULT_MIN_SEGMENT_SIZE = 10;

  /** Validates the policy. */
  public ReleasePolicy {
    Checks.atLeast(minSegmentSize, 1, "minSegmentSize");
    Checks.notNull(mechanism, "profile mechanism");
  }

  /** The default policy: profiles of segments below 10 members are suppressed. */
  public static ReleasePolicy defaults() {
    return new ReleasePolicy(DEFAULT_MIN_SEGMENT_SIZE, ProfileMechanism.exact());
  }

  /** Builds a {@link ReleasePolicy} inside the pipeline builder. Not thread-safe. */
  public static final class Builder {
    private int minSegmentSize = DEFAULT_MIN_SEGMENT_SIZE;
    private ProfileMechanism mechanism = ProfileMechanism.exact();

    /** Starts with the defaults. */
    public Builder() {}

    /** Segments with fewer members than this have their profile suppressed. */
    public Builder minSegmentSize(int size) {
      this.minSegmentSize = Checks.atLeast(size, 1, "minSegmentSize");
      return this;
    }

    /**
     * How profiles are computed, e.g. differentially private profiles from the anonymization
     * module; default exact.
     */
    public Builder mechanism(ProfileMechanism mechanism) {
      this.mechanism = Checks.notNull(mechanism, "profile mechanism");
      return this;
    }

    /** The policy. */
    public ReleasePolicy build() {
      return new ReleasePolicy(minSegmentSize, mechanism);
    }
  }
}
