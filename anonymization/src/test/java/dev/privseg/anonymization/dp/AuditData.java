package dev.privseg.anonymization.dp;

import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pipeline.SegmentationBuilder;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.release.SegmentProfile;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.rules.RuleSegments;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Neighbouring datasets built to be hard for a differentially private release, and the
 * statistics of released profiles that the {@link DpAuditor} looks at.
 */
final class AuditData {
  private AuditData() {}

  static final List<String> TIERS = List.of("basic", "plus", "rare");
  static final Pseudonymizer PSEUDONYMS = Pseudonymizer.hmacSha256(KeyProvider.ephemeral());

  /** Segment 0 holds rows with spend of at least 500, segment 1 the others. */
  static final RuleSegments RULES = RuleSegments.first("big", "spend >= 500").otherwise("small");

  /** One customer. */
  record Row(String id, double spend, String tier, String zip) {}

  static Schema schema(List<String> tiers) {
    return Schema.builder().subjectId("id")
        .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
        .categorical("tier", PrivacyRole.OTHER, tiers.toArray(new String[0]))
        .categorical("zip", PrivacyRole.QUASI_IDENTIFIER, "A", "B")
        .build();
  }

  static Dataset dataset(List<Row> rows) {
    return dataset(rows, TIERS);
  }

  static Dataset dataset(List<Row> rows, List<String> tiers) {
    DatasetBuilder b = Dataset.builder(schema(tiers));
    for (Row r : rows) {
      b.setText(0, r.id());
      b.setNumber(1, r.spend());
      b.setText(2, r.tier());
      b.setText(3, r.zip());
      b.endRow();
    }
    return b.build();
  }

  /** {@code big} customers spending 900-990 ("plus") and {@code small} spending 100-190. */
  static List<Row> groups(int big, int small) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < big; i++) {
      rows.add(new Row("B" + i, 900 + 10 * (i % 10), "plus", "A"));
    }
    for (int i = 0; i < small; i++) {
      rows.add(new Row("S" + i, 100 + 10 * (i % 10), "basic", "A"));
    }
    return rows;
  }

  static List<Row> plus(List<Row> rows, Row extra) {
    List<Row> out = new ArrayList<>(rows);
    out.add(extra);
    return out;
  }

  static List<String> ids(List<Row> rows) {
    List<String> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.id()));
    return ids;
  }

  /** A pipeline over {@code allowed} subjects keeping spend and tier. */
  static SegmentationBuilder pipeline(List<String> allowed) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(allowed))
        .minimize(m -> m.keep("spend", "tier"))
        .pseudonymize("id", PSEUDONYMS)
        .silhouetteSample(2, 1);
  }

  static DpProfiles.Builder profiles(String epsilon, SecureRandom random) {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse(epsilon),
        Rational.ZERO);
    return DpProfiles.spending(budget, Rational.parse(epsilon)).bounds("spend", 0, 1000)
        .random(random);
  }

  /** The names of {@link #statistics}' values for {@code segments} segments. */
  static List<String> names(int segments) {
    List<String> names = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      names.add("segment " + s + " released");
      names.add("segment " + s + " size");
      names.add("segment " + s + " mean spend");
      for (String t : TIERS) {
        names.add("segment " + s + " share of " + t);
      }
      names.add("segment " + s + " shows a tier outside " + TIERS);
    }
    return names;
  }

  /**
   * What profiles release, as numbers: per segment whether it is shown, its size, its mean spend
   * and each tier's share, -1 where not shown; and whether a tier label beyond the three (and
   * "(missing)") appears.
   */
  static double[] statistics(Profiles profiles, int segments) {
    double[] out = new double[segments * (4 + TIERS.size())];
    java.util.Arrays.fill(out, -1);
    for (SegmentProfile p : profiles.released()) {
      int base = p.segment() * (4 + TIERS.size());
      out[base] = 1;
      out[base + 1] = p.size();
      out[base + 2] = p.numeric().isEmpty() ? -1 : p.numeric().get(0).mean();
      Map<String, Double> shares = p.categorical().isEmpty() ? Map.of()
          : p.categorical().get(0).shares();
      for (int t = 0; t < TIERS.size(); t++) {
        out[base + 3 + t] = shares.getOrDefault(TIERS.get(t), -1.0);
      }
      out[base + 3 + TIERS.size()] = shares.keySet().stream()
          .anyMatch(k -> !TIERS.contains(k) && !k.equals("(missing)")) ? 1 : 0;
    }
    for (int s : profiles.suppressedSegments()) {
      out[s * (4 + TIERS.size())] = 0;
    }
    return out;
  }

  static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
