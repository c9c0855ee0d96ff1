package dev.privseg.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import org.junit.jupiter.api.Test;

class PrivacyLossTest {

  @Test
  void lossesAddUpExactlyUnderBasicComposition() {
    PrivacyLoss centres = PrivacyLoss.pure("1/2");
    PrivacyLoss profiles = new PrivacyLoss("1/3", "1/1000000");
    assertThat(centres.plus(profiles)).isEqualTo(new PrivacyLoss("5/6", "1/1000000"));
    assertThat(centres.plus(PrivacyLoss.pure("1/2"))).isEqualTo(PrivacyLoss.pure("1"));
  }

  @Test
  void onlyNonNegativeFractionsAreLosses() {
    assertThatThrownBy(() -> PrivacyLoss.pure("-1")).isInstanceOf(ConfigurationException.class)
        .hasMessage("epsilon must be >= 0 but was -1");
    assertThatThrownBy(() -> PrivacyLoss.pure("0.5")).isInstanceOf(ConfigurationException.class)
        .hasMessage("epsilon must be a fraction such as 1/4 but was 0.5");
    assertThatThrownBy(() -> new PrivacyLoss("1", "1/0"))
        .isInstanceOf(ConfigurationException.class);
  }
}
