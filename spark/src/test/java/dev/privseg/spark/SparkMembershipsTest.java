package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.rights.SegmentMembership;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark run's memberships are registered exactly once although Spark retries tasks: one that
 * failed after its part was committed, one that failed before writing. Executors given another
 * database register nothing and say so. On a local session that retries a failed task (the
 * module's shared one does not), so this class runs its own.
 */
class SparkMembershipsTest {
  /** Attempts the wrapped tasks failed on purpose (executors share the JVM in local mode). */
  private static final AtomicInteger FAILED = new AtomicInteger();
  private static SparkSession spark;

  @BeforeAll
  static void retryingSession() {
    LocalSpark.stop();
    spark = SparkSession.builder().appName("privseg-spark-retries")
        .master("local[2,4]") // up to 4 attempts per task
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void membershipsAreRegisteredOnceWhateverTasksSparkRetried(@TempDir Path dir)
      throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(dir);
    int n = dev.privseg.core.segment.kmeans.ChunkedRows.CHUNK * 2 + 1_000;
    try (ConsentDatabase db = ConsentDatabase.h2(dir.resolve("consent"))) {
      ConsentLedger ledger = consented(db.ledger(SubjectKeyer.from(keys.key())), n);
      SegmentationPipeline pipeline = pipeline(ledger);
      List<Row> rows = SparkSegmentsProperties.rows(2, n);
      try (SparkRun run = SparkSegmentation.of(pipeline, keys.reference()).partitions(3)
          .run(spark.createDataFrame(rows, SparkSegmentsProperties.STRUCT).coalesce(2),
              SparkSegmentationTest.AT)) {
        assertThat(run.assignments().rdd().getNumPartitions()).isGreaterThan(1);
        FAILED.set(0);
        int registered = run.registerMemberships(db.memberships(), "test segments",
            url(dir), user(), SparkMembershipsTest::failingOnce);
        assertThat(FAILED.get()).as("attempts failed on purpose").isEqualTo(2);

        SegmentationRun local = pipeline.run(
            LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
            RunOptions.defaults().at(SparkSegmentationTest.AT));
        assertThat(registered).isEqualTo(local.assignments().size());
        for (int i = 0; i < local.assignments().size(); i++) {
          assertThat(db.memberships().memberships(local.assignments().pseudonym(i)))
              .singleElement()
              .extracting(SegmentMembership::runId, SegmentMembership::segment)
              .containsExactly(run.report().runId(), local.assignments().segment(i));
        }
        assertThat(rows(dir, "privseg_membership_staging")).isZero();
      }
    }
  }

  @Test
  void executorsGivenAnotherDatabaseRegisterNothingAndSaySo(@TempDir Path dir) throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(dir);
    ConsentDatabase.h2(dir.resolve("other")).close();
    try (ConsentDatabase db = ConsentDatabase.h2(dir.resolve("consent"))) {
      ConsentLedger ledger = consented(db.ledger(SubjectKeyer.from(keys.key())), 500);
      try (SparkRun run = SparkSegmentation.of(pipeline(ledger), keys.reference())
          .run(spark.createDataFrame(SparkSegmentsProperties.rows(3, 500),
              SparkSegmentsProperties.STRUCT), SparkSegmentationTest.AT)) {
        String other = "jdbc:h2:file:" + dir.resolve("other").resolve("consent-ledger")
            .toAbsolutePath() + ";IFEXISTS=TRUE";
        assertThatThrownBy(() -> run.registerMemberships(db.memberships(), "test segments",
            other, user()))
            .isInstanceOf(ConsentException.class)
            .hasMessageStartingWith("the database the writer connected to is not staging run "
                + run.report().runId());
        assertThat(rows(dir, "privseg_staged_run")).as("the staging was abandoned").isZero();
        assertThat(rows(dir, "privseg_run_membership")).isZero();
      }
    }
  }

  /**
   * The executors' function, failing the first attempt at partition 0 after its part was
   * written and committed, and the first at partition 1 before it wrote anything.
   */
  private static ForeachPartitionFunction<Row> failingOnce(ForeachPartitionFunction<Row> write) {
    return rows -> {
      boolean first = TaskContext.get().attemptNumber() == 0;
      if (first && TaskContext.getPartitionId() == 1) {
        FAILED.incrementAndGet();
        throw new IllegalStateException("lost before writing");
      }
      write.call(rows);
      if (first && TaskContext.getPartitionId() == 0) {
        FAILED.incrementAndGet();
        throw new IllegalStateException("lost after committing");
      }
    };
  }

  /** The ledger with most of {@code C-0 .. C-(n - 1)} consenting. */
  private static ConsentLedger consented(ConsentLedger ledger, int n) {
    List<EventDraft> drafts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i % 5 != 0) {
        drafts.add(new EventDraft(ledger.keyOf(SubjectId.of("C-" + i)),
            Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_GIVEN,
            SparkSegmentationTest.AT.minusSeconds(86_400), EventSource.API, "", "web", ""));
      }
    }
    ledger.appendAll(drafts);
    return ledger;
  }

  private static SegmentationPipeline pipeline(ConsentLedger ledger) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(ConsentGate.of(ledger, List.of(
            ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION).build())))
        .minimize(m -> m.keep("age", "spend", "orders").dropEverythingElse())
        .pseudonymize("id", DirectoryPseudonymizer.of(ledger))
        .segmentWith(KMeans.clusters(3).seed(2).maxIterations(20))
        .releaseProfiles(p -> p.minSegmentSize(20))
        .schema(SparkSegmentsProperties.SCHEMA).build();
  }

  private static String url(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("consent").resolve("consent-ledger").toAbsolutePath()
        + ";IFEXISTS=TRUE";
  }

  private static Properties user() {
    Properties user = new Properties();
    user.setProperty("user", "privseg");
    user.setProperty("password", "");
    user.setProperty("driver", "org.h2.Driver");
    return user;
  }

  private static long rows(Path dir, String table) throws Exception {
    try (Connection c = DriverManager.getConnection(url(dir), user());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
