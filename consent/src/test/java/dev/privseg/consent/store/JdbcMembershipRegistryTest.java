package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcMembershipRegistryTest {

  @Test
  void registeredRunsAreListedPerPseudonymAndForgotten() throws Exception {
    Schema schema = Schema.builder().subjectId("id")
        .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER).build();
    DatasetBuilder b = Dataset.builder(schema);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      b.setText(0, "C" + i);
      b.setNumber(1, i < 15 ? i : 100 + i);
      b.endRow();
      ids.add("C" + i);
    }
    Pseudonymizer pseudonyms = Pseudonymizer.hmacSha256(KeyProvider.ephemeral());
    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(ids))
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", pseudonyms)
        .segmentWith(KMeans.clusters(2).seed(1))
        .build().run(b.build());

    try (ConsentDatabase db = ConsentDatabase.h2(Files.createTempDirectory("privseg-members"))) {
      db.memberships().register(run, "spend segments");
      String p3 = pseudonyms.pseudonymize(SubjectId.of("C3")).value();

      assertThat(db.memberships().memberships(p3)).singleElement().satisfies(m -> {
        assertThat(m.runId()).isEqualTo(run.report().runId());
        assertThat(m.purpose()).isEqualTo("marketing-segmentation");
        assertThat(m.logic()).isEqualTo("spend segments");
      });
      assertThat(db.memberships().forget(p3)).isEqualTo(1);
      assertThat(db.memberships().memberships(p3)).isEmpty();
    }
  }
}
