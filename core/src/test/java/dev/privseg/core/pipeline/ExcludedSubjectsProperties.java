package dev.privseg.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A subject the gate excludes leaves no trace: with or without their row in the input, a run gives
 * the same segments, profiles and field figures (only the input and exclusion counts include
 * them), and their category label (one nobody else holds) appears nowhere, not even as an empty
 * dictionary entry or a feature count.
 */
class ExcludedSubjectsProperties {
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("tier", FieldType.CATEGORICAL, PrivacyRole.OTHER) // categories not declared
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();
  static final Pseudonymizer PSEUDONYMS = Pseudonymizer.hmacSha256(KeyProvider.ephemeral());

  static Dataset data(int n, long seed, boolean withExcluded, int at) {
    SplittableRandom r = new SplittableRandom(seed);
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < n; i++) {
      if (withExcluded && i == at) {
        b.setText(0, "EXCLUDED");
        b.setText(1, "only-the-excluded-subject-has-this");
        b.setNumber(2, 1e6);
        b.endRow();
      }
      b.setText(0, "C" + i);
      b.setText(1, r.nextBoolean() ? "basic" : "plus");
      b.setNumber(2, r.nextInt(1000));
      b.endRow();
    }
    return b.build();
  }

  @Property(tries = 40)
  void anExcludedSubjectChangesNothingAndIsNamedNowhere(
      @ForAll @IntRange(min = 20, max = 200) int n, @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 199) int at) {
    List<String> allowed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      allowed.add("C" + i);
    }
    SegmentationPipeline pipeline = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(allowed))
        .minimize(m -> m.keep("tier", "spend"))
        .pseudonymize("id", PSEUDONYMS)
        .segmentWith(KMeans.clusters(2).seed(seed))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build();

    SegmentationRun with = pipeline.run(data(n, seed, true, at % n));
    SegmentationRun without = pipeline.run(data(n, seed, false, 0));

    assertThat(with.profiles()).isEqualTo(without.profiles());
    assertThat(with.report().fields()).isEqualTo(without.report().fields());
    assertThat(with.report().segmentation().segmentSizes())
        .isEqualTo(without.report().segmentation().segmentSizes());
    assertThat(with.report().counts().processedRows()).isEqualTo(n);
    assertThat(with.report().toJson()).doesNotContain("only-the-excluded-subject-has-this");
  }
}
