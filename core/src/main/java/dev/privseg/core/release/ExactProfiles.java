package dev.privseg.core.release;

import dev.privseg.core.dataset.Dataset;
import java.util.Map;

/** The exact mechanism: {@link ProfileBuilder} without noise. */
enum ExactProfiles implements ProfileMechanism {
  INSTANCE;

  @Override
  public Profiles release(Dataset data, int[] labels, int segments, ReleasePolicy policy) {
    return ProfileBuilder.build(data, labels, segments, policy);
  }

  @Override
  public String description() {
    return "exact (no noise)";
  }

  @Override
  public Map<String, String> privacy() {
    return Map.of();
  }
}
