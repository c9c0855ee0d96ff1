package dev.privseg.core.minimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.time.Instant;
import java.time.Period;
import org.junit.jupiter.api.Test;

class RetentionTest {
  static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

  static Dataset contacts(String... lastContacts) {
    Schema schema = Schema.builder()
        .subjectId("id")
        .field("last_contact", FieldType.TIMESTAMP, PrivacyRole.OTHER)
        .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
        .build();
    DatasetBuilder b = Dataset.builder(schema);
    for (int i = 0; i < lastContacts.length; i++) {
      b.setText(0, "C" + i);
      if (lastContacts[i] != null) {
        b.setText(1, lastContacts[i]);
      }
      b.setNumber(2, i);
      b.endRow();
    }
    return b.build();
  }

  @Test
  void aTimestampQualifiesFromTheCutoffInstantOnAndAMissingOneNever() {
    Retention r = new Retention("last_contact", Period.ofMonths(6));
    Dataset d = contacts("2025-09-01T12:00:00Z", "2025-09-01T11:59:59Z", null,
        "2026-02-28T00:00:00Z");

    Retention.Selection kept = r.select(d, AT);

    assertThat(r.cutoff(AT)).isEqualTo(Instant.parse("2025-09-01T12:00:00Z"));
    assertThat(kept.rows()).containsExactly(0, 3);
    assertThat(kept.olderThanLimit()).isEqualTo(1);
    assertThat(kept.undated()).isEqualTo(1);
    assertThat(r.description()).isEqualTo("last_contact within P6M before the run");
  }

  @Test
  void theFieldMustExistAndBeADateAndThePeriodPositive() {
    Dataset d = contacts("2026-01-01T00:00:00Z");

    assertThatThrownBy(() -> new Retention("last_order", Period.ofYears(1))
        .select(d, AT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("retention field 'last_order' is not in the input schema [id, "
            + "last_contact, spend]");
    assertThatThrownBy(() -> new Retention("spend", Period.ofYears(1))
        .select(d, AT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("retention field 'spend' must be a DATE or TIMESTAMP but is NUMERIC");
    assertThatThrownBy(() -> new Retention("last_contact", Period.ZERO))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("retention period must be positive but was P0D");
    assertThatThrownBy(() -> new Minimization().keep("spend")
        .retainFor("last_contact", Period.ofYears(1)).retainFor("last_contact", Period.ofYears(2)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("a retention limit is already set (on field 'last_contact')");
  }
}
