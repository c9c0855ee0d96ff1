package dev.privseg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.dataset.StringColumn;
import org.junit.jupiter.api.Test;

class SyntheticCustomersTest {

  @Test
  void sameSeedSameCustomersAndConsents() {
    SyntheticCustomers.Population a = SyntheticCustomers.generate(2_000, 9);
    SyntheticCustomers.Population b = SyntheticCustomers.generate(2_000, 9);

    assertThat(a.consentedSubjects()).isEqualTo(b.consentedSubjects());
    NumericColumn sa = a.customers().column("spend_12m", NumericColumn.class);
    NumericColumn sb = b.customers().column("spend_12m", NumericColumn.class);
    for (int r = 0; r < 2_000; r++) {
      assertThat(sa.get(r)).isEqualTo(sb.get(r));
    }
  }

  @Test
  void valuesAreRealisticAndSomeConsentsAreMissingOrWithdrawn() {
    SyntheticCustomers.Population p = SyntheticCustomers.generate(20_000, 1);
    LongColumn age = p.customers().column("age", LongColumn.class);
    CategoricalColumn region = p.customers().column("region", CategoricalColumn.class);
    StringColumn ids = p.customers().column("customer_id", StringColumn.class);

    for (int r = 0; r < 20_000; r++) {
      assertThat(age.get(r)).isBetween(18L, 95L);
    }
    assertThat(region.cardinality()).isEqualTo(8);
    assertThat(ids.get(0)).isEqualTo("C00000001");
    assertThat(p.neverConsented()).isBetween(1_500, 2_100);
    assertThat(p.withdrawn()).isBetween(1_000, 1_400);
    assertThat(p.consentedSubjects().size() + p.neverConsented() + p.withdrawn())
        .isEqualTo(20_000);
    assertThat(p.toString()).doesNotContain("C000");
  }
}
