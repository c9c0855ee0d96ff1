package dev.privseg.anonymization.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import org.junit.jupiter.api.Test;

class RationalTest {

  @Test
  void readsDecimalsAndTheFractionsRecordsPrint() {
    assertThat(Rational.parse("0.5")).isEqualTo(Rational.of(1, 2));
    assertThat(Rational.parse("1/2")).isEqualTo(Rational.of(1, 2));
    assertThat(Rational.parse(" 2 / 4 ")).isEqualTo(Rational.of(1, 2));
    assertThat(Rational.parse("1e-6")).isEqualTo(Rational.of(1, 1_000_000));
    assertThat(Rational.parse("3")).isEqualTo(Rational.of(3, 1));
    assertThat(Rational.parse(Rational.of(7, 3).toString())).isEqualTo(Rational.of(7, 3));
  }

  @Test
  void anythingElseIsAConfigurationErrorNamingTheText() {
    assertThatThrownBy(() -> Rational.parse("abc")).isInstanceOf(ConfigurationException.class)
        .hasMessage("privacy parameter must be a decimal (0.5, 1e-6) or a fraction (1/2) but "
            + "was 'abc'");
    assertThatThrownBy(() -> Rational.parse("1/2/3")).isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> Rational.parse("-0.5"))
        .hasMessage("privacy parameter must be >= 0 but was -0.5");
    assertThatThrownBy(() -> Rational.parse("1/0"))
        .hasMessage("a fraction's denominator must be positive but was 1/0");
  }
}
