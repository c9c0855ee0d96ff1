package dev.privseg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** The purpose id check accepts exactly what its documented regular expression accepts. */
class PurposeIdProperties {
  private static final Pattern FORM = Pattern.compile(PurposeId.FORM);

  @Property(tries = 3000)
  void wellFormedIsTheRegularExpression(@ForAll @StringLength(max = 70)
      @Chars({'a', 'm', 'z', '0', '9', '.', '_', '-', 'A', 'Z', ' ', '/', '`', '{', 'é'})
      String value) {
    boolean expected = FORM.matcher(value).matches();
    assertThat(PurposeId.wellFormed(value)).isEqualTo(expected);
    if (expected) {
      assertThat(PurposeId.of(value).value()).isEqualTo(value);
    } else {
      assertThatThrownBy(() -> PurposeId.of(value)).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("purpose id must match " + PurposeId.FORM)
          .satisfies(e -> {
            if (value.length() >= 8) { // the text given is never quoted back
              assertThat(e.getMessage()).doesNotContain(value);
            }
          });
    }
  }

  @Property(tries = 300)
  void anyStringAtAllAgrees(@ForAll @StringLength(max = 70) String value) {
    assertThat(PurposeId.wellFormed(value)).isEqualTo(FORM.matcher(value).matches());
  }
}
