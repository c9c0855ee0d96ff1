package dev.privseg.core.release;

import dev.privseg.core.dataset.Dataset;
import java.util.Map;

/**
 * How segment profiles are computed from the minimized data: exactly ({@link #exact()}, the
 * default), or with calibrated noise under a privacy budget (the anonymization module's
 * differentially private profiles). A mechanism that is not differentially private must suppress
 * every segment with fewer members than the policy's minimum before computing anything about it;
 * a differentially private one decides the same on noisy sizes, never on exact ones.
 * Implementations must be thread-safe.
 */
public interface ProfileMechanism extends dev.privseg.core.Described {

  /** Profiles of {@code data} (the kept fields) for rows labelled {@code labels}. */
  Profiles release(Dataset data, int[] labels, int segments, ReleasePolicy policy);

  /** A description for the processing record, e.g. {@code "exact"}. */
  @Override
  String description();

  /** The privacy parameters spent by this mechanism, for the processing record (empty if none). */
  Map<String, String> privacy();

  /**
   * The differential-privacy loss of the profiles, given segment labels that each depend only on
   * their own row and on declared or differentially private parameters; empty for a mechanism
   * that is not differentially private (the default). A pipeline with a non-empty loss refuses
   * segmenters and stages under which it would not hold.
   */
  default java.util.Optional<PrivacyLoss> privacyLoss() {
    return java.util.Optional.empty();
  }

  /** Exact profiles: size, mean and quartiles of numeric fields, category shares. */
  static ProfileMechanism exact() {
    return ExactProfiles.INSTANCE;
  }
}
