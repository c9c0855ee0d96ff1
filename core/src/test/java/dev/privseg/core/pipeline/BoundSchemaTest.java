package dev.privseg.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.time.Period;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A builder bound to a schema reports at build every mistake a run would report on that schema's
 * input, in the same words, and its runs refuse an input of another schema.
 */
class BoundSchemaTest {

  /** Mistakes a run finds in its input's schema, each as a change to the test builder. */
  static final List<UnaryOperator<SegmentationBuilder>> MISTAKES = List.of(
      b -> b.minimize(m -> m.keep("income")),
      b -> b.minimize(m -> m.keep("email", "age")),
      b -> b.minimize(m -> m.keep("ethnicity", "age")),
      b -> b.minimize(m -> m.keep("age", "spend").coarsen("age", Coarsen.toMonth())),
      b -> b.minimize(m -> m.keep("age", "region").coarsen("region", Coarsen.bands(5))),
      b -> b.minimize(m -> m.keep("age", "spend").retainFor("orders", Period.ofYears(1))));

  @Test
  void everyMistakeARunWouldReportIsReportedAtBuildInTheSameWords() {
    Dataset customers = TestCustomers.generate(60, 3);
    for (UnaryOperator<SegmentationBuilder> mistake : MISTAKES) {
      Throwable atRun = catchRun(mistake.apply(PipelineTest.builder(
          PipelineTest.allowedEveryOther(60), "minimize")).build(), customers);
      assertThat(atRun).isInstanceOf(ConfigurationException.class);
      SegmentationBuilder bound = mistake.apply(PipelineTest.builder(List.of(), "minimize"))
          .schema(TestCustomers.SCHEMA);
      assertThatThrownBy(bound::build).isInstanceOf(ConfigurationException.class)
          .hasMessage(atRun.getMessage());
    }
  }

  @Test
  void aSubjectFieldThatIsNotAnIdentifierIsReportedAtBuild() {
    assertThatThrownBy(() -> PipelineTest.builder(List.of(), "pseudonymize", "minimize")
        .minimize(m -> m.keep("age", "spend"))
        .pseudonymize("region", Pseudonymizer.hmacSha256(PipelineTest.KEYS))
        .schema(TestCustomers.SCHEMA).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("pseudonymized field 'region' must be an IDENTIFIER with role "
            + "DIRECT_IDENTIFIER but is CATEGORICAL/QUASI_IDENTIFIER");
  }

  @Test
  void aRunOnAnInputOfAnotherSchemaIsRefusedNamingTheFieldsThatDiffer() {
    Schema other = Schema.builder().subjectId("customer_id")
        .field("age", FieldType.NUMERIC, PrivacyRole.QUASI_IDENTIFIER)
        .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
        .field("loyalty", FieldType.INTEGER, PrivacyRole.OTHER)
        .build();
    Schema bound = Schema.builder().subjectId("customer_id")
        .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
        .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
        .field("orders", FieldType.INTEGER, PrivacyRole.OTHER)
        .build();
    SegmentationPipeline pipeline = PipelineTest.builder(List.of(), "minimize")
        .minimize(m -> m.keep("age", "spend")).schema(bound).build();
    assertThatThrownBy(() -> pipeline.run(Dataset.builder(other).build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the input's schema is not the one this pipeline was built for: 'age' is "
            + "declared differently, 'orders' is missing, 'loyalty' is not in the bound schema");
  }

  @Test
  void aRunOnTheBoundSchemaIsTheRunWithoutIt() {
    Dataset customers = TestCustomers.generate(200, 5);
    List<String> allowed = PipelineTest.allowedEveryOther(200);
    RunOptions now = RunOptions.defaults();
    SegmentationRun unbound = PipelineTest.builder(allowed).build().run(customers, now);
    SegmentationRun bound = PipelineTest.builder(allowed).schema(TestCustomers.SCHEMA).build()
        .run(customers, now);
    assertThat(bound.assignments().size()).isEqualTo(unbound.assignments().size());
    for (int i = 0; i < bound.assignments().size(); i++) {
      assertThat(bound.assignments().pseudonym(i)).isEqualTo(unbound.assignments().pseudonym(i));
      assertThat(bound.assignments().segment(i)).isEqualTo(unbound.assignments().segment(i));
    }
    assertThat(bound.report().guarantees()).isEqualTo(unbound.report().guarantees());
  }

  private static Throwable catchRun(SegmentationPipeline pipeline, Dataset input) {
    try {
      pipeline.run(input);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the run did not fail");
  }
}
