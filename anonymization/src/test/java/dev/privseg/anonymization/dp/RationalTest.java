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
  void anythingElseIsAConfigurationErrorThatDoesNotQuoteTheText() {
    for (String bad : java.util.List.of("abc", "1/2/3", "-0.5", "0x1p3", "1e31", "1e-31",
        "1e100000000", "\u0661", "1".repeat(41), "NaN", "Infinity", "1d", ".", "1e")) {
      assertThatThrownBy(() -> Rational.parse(bad)).as(bad)
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("privacy parameter must be a decimal (0.5, 1e-6) or a fraction (1/2), in "
              + "ASCII digits: at most 40 digits and an exponent within -30 to 30");
    }
    assertThatThrownBy(() -> Rational.parse("1/0"))
        .hasMessage("a fraction's denominator must be positive");
    assertThat(Rational.parse("1e-30")).isEqualTo(new Rational(java.math.BigInteger.ONE,
        java.math.BigInteger.TEN.pow(30)));
    assertThat(Rational.parse(".5")).isEqualTo(Rational.of(1, 2));
    assertThat(Rational.parse("2.")).isEqualTo(Rational.of(2, 1));
  }
}
