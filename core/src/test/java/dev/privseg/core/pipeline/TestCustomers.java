package dev.privseg.core.pipeline;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.util.SplittableRandom;

/** Small seeded customer tables for pipeline tests (public for tests in other packages). */
public final class TestCustomers {
  public static final Schema SCHEMA = Schema.builder()
      .subjectId("customer_id")
      .field("email", FieldType.IDENTIFIER, PrivacyRole.DIRECT_IDENTIFIER)
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .categorical("region", PrivacyRole.QUASI_IDENTIFIER, "north", "south", "east", "west")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("orders", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("ethnicity", FieldType.CATEGORICAL, PrivacyRole.SPECIAL_CATEGORY)
      .build();

  /** {@link #SCHEMA} with the date of each customer's last order. */
  static final Schema WITH_LAST_ORDER = Schema.builder()
      .subjectId("customer_id")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .categorical("region", PrivacyRole.QUASI_IDENTIFIER, "north", "south", "east", "west")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("last_order", FieldType.DATE, PrivacyRole.OTHER)
      .build();

  private TestCustomers() {}

  /**
   * Customers whose last order lies up to six years before {@code asOf} (one in ten has none),
   * some exactly on the day a limit of whole years would cut.
   */
  static Dataset withLastOrder(int n, long seed, java.time.LocalDate asOf) {
    SplittableRandom r = new SplittableRandom(seed);
    DatasetBuilder b = Dataset.builder(WITH_LAST_ORDER);
    String[] regions = {"north", "south", "east", "west"};
    for (int i = 0; i < n; i++) {
      int group = r.nextInt(3);
      b.setText(0, id(i));
      b.setNumber(1, 20 + group * 20 + r.nextInt(10));
      b.setText(2, regions[r.nextInt(4)]);
      b.setNumber(3, group * 500 + r.nextDouble() * 100);
      int kind = r.nextInt(10);
      if (kind > 0) {
        java.time.LocalDate d = kind == 1
            ? asOf.minusYears(1 + r.nextInt(5)).plusDays(r.nextInt(3) - 1) // around a cut-off
            : asOf.minusDays(r.nextInt(6 * 366));
        b.setObject(4, d);
      }
      b.endRow();
    }
    return b.build();
  }

  public static String id(int i) {
    return "CUST-" + i;
  }

  public static Dataset generate(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    DatasetBuilder b = Dataset.builder(SCHEMA);
    String[] regions = {"north", "south", "east", "west"};
    for (int i = 0; i < n; i++) {
      int group = r.nextInt(3);
      b.setText(0, id(i));
      b.setText(1, "person" + i + "@example.org");
      b.setNumber(2, 20 + group * 20 + r.nextInt(10));
      b.setText(3, regions[r.nextInt(4)]);
      b.setNumber(4, group * 500 + r.nextDouble() * 100);
      b.setNumber(5, group * 10 + r.nextInt(3));
      b.setText(6, r.nextBoolean() ? "group-a" : "group-b");
      b.endRow();
    }
    return b.build();
  }
}
