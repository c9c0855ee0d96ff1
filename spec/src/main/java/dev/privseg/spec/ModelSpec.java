package dev.privseg.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.core.Checks;
import java.util.List;

/**
 * One privacy model, tagged by {@code type}; each type takes only its own options, so an option
 * that would be ignored (an {@code l} on k-anonymity) is refused when the spec is read.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ModelSpec.KAnonymitySpec.class,
        name = ModelSpec.KAnonymitySpec.TYPE),
    @JsonSubTypes.Type(value = ModelSpec.LDiversitySpec.class,
        name = ModelSpec.LDiversitySpec.TYPE),
    @JsonSubTypes.Type(value = ModelSpec.TClosenessSpec.class,
        name = ModelSpec.TClosenessSpec.TYPE)})
sealed interface ModelSpec permits
    ModelSpec.KAnonymitySpec,
    ModelSpec.LDiversitySpec,
    ModelSpec.TClosenessSpec {
  /** The model's type, as the spec names it. */
  String type();

  /** The model, its options checked. */
  PrivacyModel model();

  /**
   * k-anonymity.
   *
   * @param k the smallest class
   */
  record KAnonymitySpec(Integer k) implements ModelSpec {
    static final String TYPE = "k-anonymity";

    @Override
    public PrivacyModel model() {
      return PrivacyModel.kAnonymity(Checks.notNull(k, "spec: k-anonymity needs k"));
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * l-diversity.
   *
   * @param field the sensitive field
   * @param l at least l distinct values, or an entropy of at least log l
   * @param variant {@code distinct} (default), {@code entropy} or {@code recursive}
   * @param c for recursive (c, l)-diversity
   */
  record LDiversitySpec(String field, Double l, String variant, Double c) implements ModelSpec {
    static final String TYPE = "l-diversity";

    @Override
    public PrivacyModel model() {
      String sensitive = Checks.notNull(field, "spec: l-diversity needs field");
      double atLeast = Checks.notNull(l, "spec: l-diversity needs l");
      String kind = variant == null ? "distinct" : variant;
      // Distinct and recursive l count values: l = 2.5 must not quietly become the weaker 2.
      Checks.check(kind.equals("entropy") || atLeast == Math.rint(atLeast),
          "spec: %s l-diversity needs a whole number l but was %s", kind, atLeast);
      Checks.check(c == null || kind.equals("recursive"),
          "spec: only recursive l-diversity takes c, not %s", kind);
      switch (kind) {
        case "distinct":
          return PrivacyModel.distinctLDiversity(sensitive, (int) atLeast);
        case "entropy":
          return PrivacyModel.entropyLDiversity(sensitive, atLeast);
        case "recursive":
          return PrivacyModel.recursiveLDiversity(sensitive,
              Checks.notNull(c, "spec: recursive l-diversity needs c"), (int) atLeast);
        default:
          throw new dev.privseg.core.ConfigurationException("spec: l-diversity variant must be "
              + "distinct, entropy or recursive but was '" + kind + "'");
      }
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * t-closeness.
   *
   * @param field the sensitive field
   * @param t the largest earth mover's distance to the table's distribution
   * @param order for an ordinal field, its categories in order
   */
  record TClosenessSpec(String field, Double t, List<String> order) implements ModelSpec {
    static final String TYPE = "t-closeness";

    @Override
    public PrivacyModel model() {
      String sensitive = Checks.notNull(field, "spec: t-closeness needs field");
      double distance = Checks.notNull(t, "spec: t-closeness needs t");
      return order == null ? PrivacyModel.tCloseness(sensitive, distance)
          : PrivacyModel.tCloseness(sensitive, distance, order);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
