package dev.privseg.examples;

import dev.privseg.core.Checks;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic generator of realistic retail customers: ages, incomes, regions and postcodes,
 * purchase histories driven by five hidden behaviour archetypes, and marketing consents of which
 * some were never given and some withdrawn. The same seed gives the same customers on any machine.
 * No real person is described.
 *
 * <pre>{@code
 * SyntheticCustomers.Population p = SyntheticCustomers.generate(100_000, 42);
 * p.customers();            // Dataset with SCHEMA
 * p.consentedSubjects();    // ids with valid marketing consent
 * }</pre>
 */
public final class SyntheticCustomers {

  /** Regions, with their postcode prefix digit and share of the population. */
  static final String[] REGIONS = {"north", "north-east", "east", "south-east", "south",
      "south-west", "west", "capital"};
  private static final double[] REGION_WEIGHTS = {0.10, 0.08, 0.12, 0.14, 0.13, 0.09, 0.11, 0.23};
  static final String[] CHANNELS = {"store", "web", "app"};
  private static final LocalDate EPOCH = LocalDate.of(2026, 11, 1);

  /** The instant the generated data describes: consents are as of this moment. */
  public static final java.time.Instant AS_OF = EPOCH.atStartOfDay(java.time.ZoneOffset.UTC)
      .toInstant();

  /** The schema of the generated customers. */
  public static final Schema SCHEMA = Schema.builder()
      .subjectId("customer_id")
      .field("email", FieldType.IDENTIFIER, PrivacyRole.DIRECT_IDENTIFIER)
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .categorical("region", PrivacyRole.QUASI_IDENTIFIER, REGIONS)
      .field("postcode", FieldType.TEXT, PrivacyRole.QUASI_IDENTIFIER)
      .field("annual_income", FieldType.NUMERIC, PrivacyRole.SENSITIVE)
      .field("signup_date", FieldType.DATE, PrivacyRole.OTHER)
      .field("tenure_months", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("orders_12m", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("spend_12m", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("days_since_last_order", FieldType.INTEGER, PrivacyRole.OTHER)
      .categorical("preferred_channel", PrivacyRole.OTHER, CHANNELS)
      .build();

  private SyntheticCustomers() {}

  /**
   * One customer's marketing consent history.
   *
   * @param subjectId the customer id
   * @param givenAt when consent was given
   * @param withdrawnAt when it was withdrawn, if it was
   */
  public record ConsentHistory(String subjectId, java.time.Instant givenAt,
      java.util.Optional<java.time.Instant> withdrawnAt) {
    @Override
    public String toString() {
      return "ConsentHistory[redacted]";
    }
  }

  /**
   * A generated population.
   *
   * @param customers the customer records
   * @param consentedSubjects ids whose marketing consent is valid at {@link #AS_OF}
   * @param consents the consent history of every customer who ever consented
   * @param neverConsented how many customers never gave consent
   * @param withdrawn how many gave consent and later withdrew it
   */
  public record Population(Dataset customers, List<String> consentedSubjects,
      List<ConsentHistory> consents, int neverConsented, int withdrawn) {
    @Override
    public String toString() {
      return "Population[customers=" + customers.rowCount() + ", consented="
          + consentedSubjects.size() + ", neverConsented=" + neverConsented + ", withdrawn="
          + withdrawn + "]";
    }
  }

  /** Generates {@code count} customers from {@code seed}. */
  public static Population generate(int count, long seed) {
    Checks.atLeast(count, 1, "customer count");
    SplittableRandom random = new SplittableRandom(seed);
    DatasetBuilder b = Dataset.builder(SCHEMA);
    List<String> consented = new ArrayList<>(count);
    List<ConsentHistory> histories = new ArrayList<>(count);
    int never = 0;
    int withdrawn = 0;
    for (int i = 0; i < count; i++) {
      String id = customerId(i + 1);
      Archetype a = Archetype.pick(random);
      int age = clamp((int) Math.round(a.ageMean + 13 * gaussian(random)), 18, 95);
      int region = pickWeighted(REGION_WEIGHTS, random);
      double income = Math.exp(10.3 + 0.012 * Math.min(age, 60) + 0.45 * gaussian(random))
          * (region == 7 ? 1.25 : 1.0);
      int tenure = clamp((int) Math.round(a.tenureMean * -Math.log(1 - random.nextDouble())),
          0, 240);
      int orders = poisson(a.ordersPerYear, random);
      double basket = Math.exp(Math.log(a.basket) + 0.35 * gaussian(random));
      double spend = orders == 0 ? 0 : Math.round(orders * basket * 100) / 100.0;
      int recency = orders == 0 ? 365 + random.nextInt(700)
          : clamp((int) Math.round(a.recencyMean * -Math.log(1 - random.nextDouble())), 0, 364);

      b.setText(0, id);
      b.setText(1, "customer" + (i + 1) + "@example.com");
      b.setNumber(2, age);
      b.setText(3, REGIONS[region]);
      b.setText(4, postcode(region, random));
      b.setNumber(5, Math.round(income));
      LocalDate signup = EPOCH.minusMonths(tenure).minusDays(random.nextInt(28));
      b.setObject(6, signup);
      b.setNumber(7, tenure);
      b.setNumber(8, orders);
      b.setNumber(9, spend);
      b.setNumber(10, recency);
      b.setText(11, CHANNELS[pickWeighted(a.channelWeights, random)]);
      b.endRow();

      double c = random.nextDouble();
      // Consent was given at signup or last confirmed in the past 30 months, whichever is later;
      // under a two-year expiry some consents have lapsed.
      java.time.Instant confirmed = AS_OF.minusSeconds((long) (random.nextDouble() * 30 * 30.44
          * 86_400));
      java.time.Instant signedUp = signup.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
          .plusSeconds(random.nextInt(86_400));
      java.time.Instant given = confirmed.isAfter(signedUp) ? confirmed : signedUp;
      if (c < 0.09) {
        never++;
      } else if (c < 0.15) {
        withdrawn++;
        long span = Math.max(1, java.time.Duration.between(given, AS_OF).getSeconds());
        histories.add(new ConsentHistory(id, given, java.util.Optional.of(
            given.plusSeconds(1 + (long) (random.nextDouble() * (span - 1))))));
      } else {
        consented.add(id);
        histories.add(new ConsentHistory(id, given, java.util.Optional.empty()));
      }
    }
    return new Population(b.build(), List.copyOf(consented), List.copyOf(histories), never,
        withdrawn);
  }

  private static String postcode(int region, SplittableRandom random) {
    int digits = random.nextInt(10_000);
    char[] code = {(char) ('1' + region), (char) ('0' + digits / 1000),
        (char) ('0' + digits / 100 % 10), (char) ('0' + digits / 10 % 10),
        (char) ('0' + digits % 10)};
    return new String(code);
  }

  /** {@code C} and the number padded to eight digits, without the cost of String.format. */
  static String customerId(int number) {
    String digits = Integer.toString(number);
    return "C" + "00000000".substring(Math.min(8, digits.length())) + digits;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller; test data only, so floating-point sampling is fine here.
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static int poisson(double mean, SplittableRandom random) {
    if (mean > 30) {
      return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * gaussian(random)));
    }
    double limit = Math.exp(-mean);
    double p = random.nextDouble();
    int k = 0;
    while (p > limit) {
      p *= random.nextDouble();
      k++;
    }
    return k;
  }

  private static int pickWeighted(double[] weights, SplittableRandom random) {
    double u = random.nextDouble();
    double cumulative = 0;
    for (int i = 0; i < weights.length; i++) {
      cumulative += weights[i];
      if (u < cumulative) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /** Hidden behaviour archetypes that give the data real cluster structure. */
  private enum Archetype {
    LOYAL_HIGH_SPENDER(0.15, 48, 60, 26, 95, 12, 0.5, 0.2, 0.3),
    BARGAIN_HUNTER(0.25, 36, 30, 14, 28, 20, 0.2, 0.5, 0.3),
    OCCASIONAL(0.30, 44, 40, 3, 60, 90, 0.6, 0.3, 0.1),
    NEW_DIGITAL(0.15, 27, 4, 6, 45, 25, 0.05, 0.35, 0.6),
    LAPSED(0.15, 55, 70, 0.4, 50, 250, 0.7, 0.25, 0.05);

    final double share;
    final double ageMean;
    final double tenureMean;
    final double ordersPerYear;
    final double basket;
    final double recencyMean;
    final double[] channelWeights;

    Archetype(double share, double ageMean, double tenureMean, double ordersPerYear,
        double basket, double recencyMean, double store, double web, double app) {
      this.share = share;
      this.ageMean = ageMean;
      this.tenureMean = tenureMean;
      this.ordersPerYear = ordersPerYear;
      this.basket = basket;
      this.recencyMean = recencyMean;
      this.channelWeights = new double[] {store, web, app};
    }

    static Archetype pick(SplittableRandom random) {
      double u = random.nextDouble();
      double cumulative = 0;
      for (Archetype a : values()) {
        cumulative += a.share;
        if (u < cumulative) {
          return a;
        }
      }
      return LAPSED;
    }
  }
}
