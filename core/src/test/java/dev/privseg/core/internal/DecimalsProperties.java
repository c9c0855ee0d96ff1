package dev.privseg.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The fast decimal parser always agrees with Double.parseDouble, bit for bit. */
class DecimalsProperties {

  @Property(tries = 3000)
  void agreesWithDoubleParseDoubleOnPlainDecimals(@ForAll long unscaled,
      @ForAll @IntRange(min = 0, max = 25) int scale) {
    String text = new BigDecimal(java.math.BigInteger.valueOf(unscaled), scale).toPlainString();
    assertThat(Double.doubleToRawLongBits(Decimals.parse(text)))
        .as(text).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
  }

  @Property(tries = 2000)
  void agreesOnAnyDoublesTextForm(@ForAll double value) {
    net.jqwik.api.Assume.that(Double.isFinite(value)); // NaN and Infinity are not data
    String text = Double.toString(value);
    assertThat(Double.doubleToRawLongBits(Decimals.parse(text)))
        .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
  }

  @Test
  void edgeCasesMatchAndErrorsStillThrow() {
    for (String s : new String[] {"0", "-0", "+1", "1.", ".5", "-.5", "007.250", "1e3",
        " 2.5 ", "123456789012345678901234567890", "0.1", "18.8"}) {
      assertThat(Decimals.parse(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
    for (String s : new String[] {"", "-", ".", "1.2.3", "abc", "1,5", "0x1p3", "1d", "2f",
        "NaN", "Infinity", "1e", "\u0661\u0662", "\uff11", "1_000", "1234567890123456\u0661"}) {
      assertThatThrownBy(() -> Decimals.parse(s)).as(s).isInstanceOf(NumberFormatException.class);
    }
  }
}
