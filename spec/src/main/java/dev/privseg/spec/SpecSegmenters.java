package dev.privseg.spec;

import dev.privseg.anonymization.dp.DpKMeans;
import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.core.Checks;
import dev.privseg.core.segment.Segmenter;
import dev.privseg.core.segment.gmm.GaussianMixture;
import dev.privseg.core.segment.kmeans.KMeans;
import dev.privseg.core.segment.kmeans.KSelection;
import dev.privseg.core.segment.kprototypes.KPrototypes;
import dev.privseg.core.segment.rfm.Rfm;
import dev.privseg.core.segment.rules.RuleSegments;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The segmenter a spec's {@code segmentation} section names. An option the chosen algorithm does
 * not use is an error rather than silently ignored, and every error names the option.
 */
final class SpecSegmenters {
  /** The algorithms a spec may name. */
  private static final List<String> ALGORITHMS =
      List.of("kmeans", "kprototypes", "gmm", "rules", "rfm", "dpkmeans");

  /**
   * The algorithms each segmentation option applies to; {@code seed} and {@code stability} apply
   * to all (a seed is harmless where nothing is random).
   */
  private static final Map<String, List<String>> OPTION_USERS = Map.ofEntries(
      Map.entry("k", List.of("kmeans", "kprototypes", "gmm", "dpkmeans")),
      Map.entry("maxIterations", List.of("kmeans", "kprototypes", "gmm", "dpkmeans")),
      Map.entry("chooseK", List.of("kmeans", "gmm")),
      Map.entry("rules", List.of("rules")),
      Map.entry("otherwise", List.of("rules")),
      Map.entry("rfm", List.of("rfm")),
      Map.entry("miniBatch", List.of("kmeans")),
      Map.entry("tolerance", List.of("kmeans")),
      Map.entry("accelerated", List.of("kmeans")),
      Map.entry("restarts", List.of("kmeans")),
      Map.entry("epsilon", List.of("dpkmeans")),
      Map.entry("bounds", List.of("dpkmeans")),
      Map.entry("gamma", List.of("kprototypes")));

  /** Where differentially private k-means gets the run's privacy budget from. */
  @FunctionalInterface
  interface Budget {
    /** The run's accountant; may open the consent database, where spends persist. */
    PrivacyAccountant accountant() throws IOException;
  }

  private SpecSegmenters() {}

  /** The segmenter {@code seg} describes; {@code budget} is asked only by dpkmeans. */
  static Segmenter segmenter(PipelineSpec.SegmentationSpec seg, Budget budget)
      throws IOException {
    String algorithm = seg.algorithm() == null ? "kmeans" : seg.algorithm();
    Checks.check(ALGORITHMS.contains(algorithm), "spec: segmentation.algorithm must be one of "
        + "%s but was '%s'", String.join(", ", ALGORITHMS), algorithm);
    rejectInapplicable(seg, algorithm);
    switch (algorithm) {
      case "dpkmeans":
        return dpKMeans(seg, budget.accountant());
      case "kprototypes":
        return kPrototypes(seg);
      case "gmm":
        return gaussianMixture(seg);
      case "rfm":
        return rfm(seg);
      case "rules":
        return rules(seg);
      default:
        return kMeans(seg);
    }
  }

  private static long seed(PipelineSpec.SegmentationSpec seg) {
    return seg.seed() == null ? 0 : seg.seed();
  }

  private static Segmenter dpKMeans(PipelineSpec.SegmentationSpec seg,
      PrivacyAccountant accountant) {
    DpKMeans dp = DpKMeans.clusters(Checks.notNull(seg.k(), "spec: segmentation.k"),
        accountant, SpecOptions.rational(Checks.notNull(seg.epsilon(),
            "spec: segmentation.epsilon is required for dpkmeans"), "segmentation.epsilon"))
        .seed(seed(seg));
    Checks.check(seg.bounds() != null, "spec: segmentation.bounds is required for dpkmeans: "
        + "[min, max] of every numeric feature");
    for (Map.Entry<String, List<Double>> e : seg.bounds().entrySet()) {
      List<Double> b = e.getValue();
      Checks.check(b != null && b.size() == 2, "spec: segmentation.bounds.%s must be [min, max]",
          e.getKey());
      dp = dp.bounds(e.getKey(), b.get(0), b.get(1));
    }
    return seg.maxIterations() == null ? dp : dp.iterations(seg.maxIterations());
  }

  private static Segmenter kPrototypes(PipelineSpec.SegmentationSpec seg) {
    KPrototypes kp = KPrototypes.clusters(Checks.notNull(seg.k(), "spec: segmentation.k"))
        .seed(seed(seg));
    if (seg.gamma() != null) {
      kp = kp.gamma(seg.gamma());
    }
    return seg.maxIterations() == null ? kp : kp.maxIterations(seg.maxIterations());
  }

  private static Segmenter gaussianMixture(PipelineSpec.SegmentationSpec seg) {
    Checks.check((seg.k() == null) != (seg.chooseK() == null),
        "spec: segmentation needs exactly one of k or chooseK");
    GaussianMixture gmm = GaussianMixture.components(seg.k() == null ? 2 : seg.k())
        .seed(seed(seg));
    if (seg.maxIterations() != null) {
      gmm = gmm.maxIterations(seg.maxIterations());
    }
    if (seg.chooseK() != null) {
      gmm = gmm.chooseK(Checks.notNull(seg.chooseK().min(), "spec: segmentation.chooseK.min"),
          Checks.notNull(seg.chooseK().max(), "spec: segmentation.chooseK.max"));
    }
    return gmm;
  }

  private static Segmenter kMeans(PipelineSpec.SegmentationSpec seg) {
    Checks.check((seg.k() == null) != (seg.chooseK() == null),
        "spec: segmentation needs exactly one of k or chooseK");
    KMeans kmeans = KMeans.clusters(seg.k() == null ? 2 : seg.k()).seed(seed(seg));
    if (seg.maxIterations() != null) {
      kmeans = kmeans.maxIterations(seg.maxIterations());
    }
    if (seg.miniBatch() != null) {
      kmeans = kmeans.miniBatch(seg.miniBatch());
    }
    if (seg.tolerance() != null) {
      kmeans = kmeans.tolerance(seg.tolerance());
    }
    if (seg.restarts() != null) {
      kmeans = kmeans.restarts(seg.restarts());
    }
    if (seg.accelerated() != null) {
      kmeans = kmeans.accelerated(seg.accelerated());
    }
    if (seg.chooseK() == null) {
      return kmeans;
    }
    PipelineSpec.ChooseKSpec c = seg.chooseK();
    return kmeans.chooseK(Checks.notNull(c.min(), "spec: segmentation.chooseK.min"),
        Checks.notNull(c.max(), "spec: segmentation.chooseK.max"),
        SpecOptions.enumOf(KSelection.Criterion.class, c.by() == null ? "silhouette" : c.by(),
            "spec: segmentation.chooseK.by"));
  }

  private static Segmenter rfm(PipelineSpec.SegmentationSpec seg) {
    PipelineSpec.RfmSpec f = Checks.notNull(seg.rfm(), "spec: segmentation.rfm");
    return Rfm.scores(
        Checks.notNull(f.recency(), "spec: segmentation.rfm.recency"),
        Checks.notNull(f.frequency(), "spec: segmentation.rfm.frequency"),
        Checks.notNull(f.monetary(), "spec: segmentation.rfm.monetary"))
        .withStandardSegments();
  }

  private static Segmenter rules(PipelineSpec.SegmentationSpec seg) {
    Checks.check(seg.rules() != null && !seg.rules().isEmpty(),
        "spec: segmentation.rules needs at least one rule");
    RuleSegments rules = null;
    for (PipelineSpec.RuleSpec r : seg.rules()) {
      String name = Checks.notNull(r.name(), "spec: segmentation.rules[].name");
      String when = Checks.notNull(r.when(), "spec: rule '" + name + "' needs 'when'");
      rules = rules == null ? RuleSegments.first(name, when) : rules.then(name, when);
    }
    return seg.otherwise() == null ? rules : rules.otherwise(seg.otherwise());
  }

  /**
   * Fails on a segmentation option the chosen algorithm does not use, instead of silently
   * ignoring it: a {@code miniBatch} under {@code gmm} is a mistake the user wants to hear of.
   */
  private static void rejectInapplicable(PipelineSpec.SegmentationSpec seg, String algorithm) {
    for (String option : SpecOptions.set(seg)) {
      if (List.of("algorithm", "seed", "stability").contains(option)) {
        continue;
      }
      List<String> users = OPTION_USERS.get(option);
      if (users == null) {
        throw new IllegalStateException("segmentation option " + option + " is missing from "
            + "OPTION_USERS");
      }
      Checks.check(users.contains(algorithm),
          "spec: segmentation.%s does not apply to algorithm '%s' (only to %s)",
          option, algorithm, String.join(", ", users));
    }
  }
}
