package dev.privseg.spark;

import dev.privseg.anonymization.dp.DpKMeans;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.anonymization.mondrian.Mondrian;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.pipeline.AnonymizationImpact;
import dev.privseg.core.pipeline.RunPlan;
import dev.privseg.core.pipeline.RunRecorder;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.Stage;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.Silhouette;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.kmeans.Chunk;
import dev.privseg.core.segment.kmeans.ChunkStep;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.segment.kmeans.ChunkedSegmenter;
import dev.privseg.core.segment.kmeans.KMeans;
import dev.privseg.core.segment.kprototypes.KPrototypes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Runs a {@link SegmentationPipeline} on a Spark {@code Dataset<Row>}: the same stages, on the
 * executors, with the same results as the local engine (the same rows excluded, the same
 * pseudonyms, segments and profiles, to the last bit) and a processing record of the same form,
 * written through the pipeline's own {@link RunRecorder}.
 *
 * <pre>{@code
 * SparkRun run = SparkSegmentation.of(pipeline, ExecutorKey.environment("PRIVSEG_KEY"))
 *     .run(customers);                  // a Dataset<Row> with the pipeline's bound schema
 * run.assignments().write().parquet("segments");   // (pseudonym, segment): personal data
 * run.profiles().writeCsv(Path.of("profiles.csv"));
 * run.report().writeJson(Path.of("report.json"));
 * }</pre>
 *
 * <p>What runs on Spark so far, and is refused otherwise, before any row is read: a
 * {@link ConsentGate} (decided on the executors from the run's {@link
 * dev.privseg.consent.DecisionSnapshot}, or from the ledger's own tables folded there, see
 * {@link #ledgerEvents(Dataset)}) or a gate whose run view is serializable, as the
 * allow-list's is (sent to the executors and asked there); minimization, special-category
 * values withheld from every row whose explicit consent the gate does not vouch for; keyed
 * HMAC-SHA256 pseudonyms (the key opened by each executor, {@link ExecutorKey}) or a subject
 * directory's ({@link DirectoryPseudonymizer}: the executors key the ids, the driver has the
 * pseudonyms still missing issued, and the rows are joined to the directory); anonymization
 * by {@link GeneralizationAnonymizer} (classes counted on the executors, the optimal search on
 * the driver) or by {@link Mondrian} under any serializable models (the upper cuts made and
 * checked on the executors, the rest in one task per part), its impact on the segments measured
 * as locally; a {@link ChunkedSegmenter}
 * ({@link KMeans} with full iterations, {@link dev.privseg.core.segment.gmm.GaussianMixture}) or
 * {@link KPrototypes} (on rows of numbers and category codes), with stability refits with the
 * local engine's seeds, or {@link DpKMeans}; exact or
 * {@link dev.privseg.anonymization.dp.DpProfiles differentially private} profiles (the executors
 * count, the driver draws the noise and spends the budget, never a task).
 * Immutable; each run is independent.
 */
public final class SparkSegmentation {
  private final SegmentationPipeline pipeline;
  private final ExecutorKey pseudonymKey;
  private final ExecutorKey ledgerKey;
  private final Schema schema;
  private final int partitions;
  /**
   * The consent ledger's tables (events; with a subject directory, its entries and tombstones
   * too), to fold on the executors; null to decide on the driver.
   */
  private final LedgerTables ledgerTables;

  /**
   * A consent ledger's tables; {@code directory} and {@code erased} null without a directory,
   * {@code pseudonyms} (the directory's lookup keys and pseudonyms) null unless the pipeline
   * pseudonymizes through it.
   */
  private record LedgerTables(Dataset<Row> events, Dataset<Row> directory,
      Dataset<Row> erased, Dataset<Row> pseudonyms) {}

  private SparkSegmentation(SegmentationPipeline pipeline, ExecutorKey pseudonymKey,
      ExecutorKey ledgerKey, Schema schema, int partitions, LedgerTables ledgerTables) {
    this.pipeline = pipeline;
    this.pseudonymKey = pseudonymKey;
    this.ledgerKey = ledgerKey;
    this.schema = schema;
    this.partitions = partitions;
    this.ledgerTables = ledgerTables;
  }

  /**
   * {@code pipeline} on Spark, its pseudonyms made on the executors with {@code pseudonymKey}
   * (the pipeline's key, by reference); the consent ledger's subject keys with the same key
   * unless {@link #ledgerKey} says otherwise. A pipeline that pseudonymizes through a subject
   * directory has no pseudonym key: the directory's lookups are keyed with the ledger's key,
   * {@code pseudonymKey} unless {@link #ledgerKey} says otherwise. The input's schema is the pipeline's bound one
   * unless {@link #schema} gives it. 64 partitions for the chunks of rows unless
   * {@link #partitions} says otherwise.
   *
   * @throws ConfigurationException naming the part of the pipeline Spark does not run yet
   */
  public static SparkSegmentation of(SegmentationPipeline pipeline, ExecutorKey pseudonymKey) {
    Checks.notNull(pipeline, "pipeline");
    Checks.notNull(pseudonymKey, "pseudonym key");
    check(pipeline.plan());
    return new SparkSegmentation(pipeline, pseudonymKey, pseudonymKey,
        pipeline.plan().schema().orElse(null), 64, null);
  }

  /** This run with the consent ledger's key opened by the executors from {@code key}. */
  public SparkSegmentation ledgerKey(ExecutorKey key) {
    return new SparkSegmentation(pipeline, pseudonymKey, Checks.notNull(key, "ledger key"),
        schema, partitions, ledgerTables);
  }

  /** This run reading inputs of {@code schema} (when the pipeline has none bound). */
  public SparkSegmentation schema(Schema schema) {
    Checks.notNull(schema, "schema");
    Checks.check(pipeline.plan().schema().map(schema::equals).orElse(true),
        "the pipeline is bound to another schema");
    return new SparkSegmentation(pipeline, pseudonymKey, ledgerKey, schema, partitions,
        ledgerTables);
  }

  /**
   * This run holding the rows in {@code partitions} partitions (at least 1; more where one would
   * hold over a million rows, so that each cached partition fits an executor's memory).
   */
  public SparkSegmentation partitions(int partitions) {
    Checks.atLeast(partitions, 1, "partitions");
    return new SparkSegmentation(pipeline, pseudonymKey, ledgerKey, schema, partitions,
        ledgerTables);
  }

  /**
   * This run deciding lawful bases from the consent ledger's {@code events}, folded per subject
   * on the executors, instead of from a snapshot of every subject's decision made on the driver:
   * for ledgers too large for the driver's memory. {@code events} are the rows of the ledger's
   * event table, {@code privseg_consent_event} (say {@code spark.read().jdbc(url,
   * "privseg_consent_event", "seq", 1, last + 1, partitions, properties)}); the run reads those
   * recorded before it started, and refuses a copy that lags behind the ledger. For a ledger
   * without a subject directory; see {@link #ledgerEvents(Dataset, Dataset, Dataset)}.
   *
   * @throws ConfigurationException if the pipeline's gate is not a consent ledger's, or the
   *     events lack a column of the table
   */
  public SparkSegmentation ledgerEvents(Dataset<Row> events) {
    Checks.notNull(events, "ledger events");
    return withLedger(LedgerEvents.checked(events), null, null, null);
  }

  /**
   * As {@link #ledgerEvents(Dataset)}, for a ledger that keys its events through a subject
   * directory (as a consent database's ledger does): the directory's live entries
   * ({@code privseg_subject_directory}) map each
   * lookup key to its ledger key, and its tombstones ({@code privseg_erased_subject}) mark
   * erased subjects, joined on the executors. Only the directory's keys are read, unless the
   * pipeline pseudonymizes through it ({@link DirectoryPseudonymizer}): then the rows are joined
   * to its pseudonyms too, read after those still missing were issued.
   *
   * @throws ConfigurationException if the pipeline's gate is not a consent ledger's, or a table
   *     lacks a column
   */
  public SparkSegmentation ledgerEvents(Dataset<Row> events, Dataset<Row> directory,
      Dataset<Row> erased) {
    Checks.notNull(events, "ledger events");
    Checks.notNull(directory, "subject directory");
    Checks.notNull(erased, "erased subjects");
    return withLedger(LedgerEvents.checked(events), LedgerEvents.checkedDirectory(directory),
        LedgerEvents.checkedErased(erased),
        pipeline.plan().pseudonymizer() instanceof DirectoryPseudonymizer
            ? LedgerEvents.checkedPseudonyms(directory) : null);
  }

  private SparkSegmentation withLedger(Dataset<Row> events, Dataset<Row> directory,
      Dataset<Row> erased, Dataset<Row> pseudonyms) {
    if (!(pipeline.plan().gate() instanceof ConsentGate)) {
      throw new ConfigurationException("the ledger's events decide a consent ledger's gate, but "
          + "this pipeline's gate is " + pipeline.plan().gate().description());
    }
    return new SparkSegmentation(pipeline, pseudonymKey, ledgerKey, schema, partitions,
        new LedgerTables(events, directory, erased, pseudonyms));
  }

  /** Refuses, naming it, any part of the plan that does not run on Spark yet. */
  private static void check(RunPlan plan) {
    if (plan.anonymizer().isPresent()
        && !(plan.anonymizer().get() instanceof GeneralizationAnonymizer)
        && !(plan.anonymizer().get() instanceof Mondrian)) {
      throw new ConfigurationException("the Spark engine anonymizes by full-domain "
          + "generalization (GeneralizationAnonymizer) or Mondrian; this pipeline's "
          + "anonymizer is " + plan.anonymizer().get().description()
          + ": run it on the local engine");
    }
    if (plan.anonymizer().orElse(null) instanceof Mondrian mondrian) {
      SparkMondrian.check(mondrian);
    }
    if (!(plan.segmenter() instanceof ChunkedSegmenter)
        && !(plan.segmenter() instanceof DpKMeans) && !(plan.segmenter() instanceof KPrototypes)) {
      throw new ConfigurationException("the Spark engine segments with k-means, a Gaussian "
          + "mixture, k-prototypes or DP k-means (and segmenters that fit rows held in chunks, "
          + "ChunkedSegmenter); this pipeline's segmenter is "
          + plan.segmenter().description() + ": run it on the local engine");
    }
  }

  /** Runs on {@code input} now. */
  public SparkRun run(Dataset<Row> input) {
    return run(input, Instant.now());
  }

  /**
   * Runs on {@code input}, deciding lawful bases at {@code at}.
   *
   * @throws ConfigurationException naming a field the input lacks or holds in another type, or
   *     any other mistake, as the local engine names it
   * @throws dev.privseg.core.gate.NoSubjectAllowedException if the gate allows no row
   * @throws dev.privseg.core.pseudonymize.KeyException if an executor cannot open the key, or
   *     opens another
   */
  public SparkRun run(Dataset<Row> input, Instant at) {
    Checks.notNull(input, "input");
    Checks.notNull(at, "at");
    if (schema == null) {
      throw new ConfigurationException("the input's schema is unknown: bind one to the pipeline "
          + "(SegmentationBuilder.schema) or give it with SparkSegmentation.schema");
    }
    RunPlan plan = pipeline.plan();
    RunRecorder recorder = plan.recorder(at);
    Timer timer = new Timer(recorder);

    SparkInput read = new SparkInput(schema);
    Dataset<Row> tagged = read.tagged(input);
    SparkInput.Counts counts = SparkInput.counts(tagged);
    Map<String, Long> rejected = new LinkedHashMap<>();
    long accepted = counts.rows();
    for (Map.Entry<dev.privseg.core.dataset.RejectReason, Long> e : counts.rejected().entrySet()) {
      rejected.put(e.getKey().name(), e.getValue());
      accepted -= e.getValue();
    }
    // As the local record counts them: the rows read into the run, and those the reader
    // rejected beside them.
    recorder.read(accepted, rejected);

    timer.begin();
    SparkGate gate;
    if (plan.gate() instanceof ConsentGate consent) {
      gate = ledgerTables != null
          ? new SparkGate(consent.fold(plan.purpose(), at), ledgerTables.events(),
              ledgerTables.directory(), ledgerTables.erased(), ledgerKey)
          : new SparkGate(consent.snapshot(plan.purpose(), at), ledgerKey);
    } else {
      gate = SparkGate.shipped(plan.gate().forRun(plan.purpose(), at), plan.purpose(),
          plan.gate().description());
    }
    try (SparkGate.Gated gated = gate.run(SparkInput.acceptedInOrder(tagged, schema.names()),
        plan.subjectField(), !plan.minimization().specialCategories().isEmpty())) {
      recorder.lawfulBasis(gated.excluded());
      timer.end(Stage.LAWFUL_BASIS);
      return admitted(plan, recorder, timer, read, tagged, gated, at);
    }
  }

  /**
   * The stages after the gate, on the rows it admitted (cached, and dropped once the features
   * are encoded unless the anonymization's impact needs them again).
   */
  private SparkRun admitted(RunPlan plan, RunRecorder recorder, Timer timer, SparkInput read,
      Dataset<Row> tagged, SparkGate.Gated gated, Instant at) {
    timer.begin();
    SparkMinimize.Minimized minimized = new SparkMinimize(plan.minimization(),
        plan.subjectField()).run(gated.admitted(), schema, at);
    timer.end(Stage.MINIMIZE);

    timer.begin();
    Dataset<Row> pseudonymized = plan.pseudonymizer() instanceof DirectoryPseudonymizer directory
        ? SparkPseudonymize.fromDirectory(directory, ledgerKey, minimized.rows(),
            plan.subjectField(), ledgerTables == null ? null : ledgerTables.pseudonyms())
        : new SparkPseudonymize(plan.pseudonymizer(), pseudonymKey)
            .run(minimized.rows(), plan.subjectField());
    recorder.pseudonymization(plan.subjectField(), plan.pseudonymizer().description(),
        plan.pseudonymizer().keyId());
    timer.end(Stage.PSEUDONYMIZE);

    List<String> used = minimized.fields().used();
    Schema features = minimized.schema();
    SparkAnonymize.Anonymized anonymized = null;
    if (plan.anonymizer().isPresent()) {
      timer.begin();
      dev.privseg.core.anonymize.Anonymizer anonymizer = plan.anonymizer().get();
      if (anonymizer instanceof Mondrian mondrian) {
        anonymized = SparkMondrian.anonymize(mondrian, minimized.rows(), pseudonymized,
            without(features, plan.subjectField()), features, partitions);
      } else {
        SparkAnonymize stage = new SparkAnonymize((GeneralizationAnonymizer) anonymizer);
        stage.check(without(features, plan.subjectField()));
        anonymized = stage.run(minimized.rows(), pseudonymized, features);
      }
      recorder.anonymization(new ProcessingRecord.AnonymizationEntry(
          anonymizer.description(), anonymizer.parameters(), anonymized.input(),
          anonymized.suppressed(), anonymized.summary(), null), anonymized.guarantees(),
          anonymized.covered());
      pseudonymized = anonymized.rows();
      features = anonymized.schema();
      timer.end(Stage.ANONYMIZE);
    }

    timer.begin();
    // The released rows' original values are encoded too when the impact is measured (a
    // pipeline that measures it anonymizes), over the dictionaries of the rows before.
    Map<String, List<String>> original = null;
    Map<String, List<String>> dictionaries;
    if (plan.measuresAnonymizationImpact()) {
      original = dictionaries(read, tagged, minimized, used, Map.of());
      dictionaries = new LinkedHashMap<>(original);
      dictionaries.putAll(anonymized.dictionaries());
    } else {
      dictionaries = dictionaries(read, tagged, minimized, used,
          anonymized == null ? Map.of() : anonymized.dictionaries());
    }
    SparkFeatures.Encoded encoded = SparkFeatures.encode(pseudonymized, features, used,
        List.of(SparkPseudonymize.PSEUDONYM), dictionaries, partitions);
    if (original == null) {
      gated.close(); // the encoded rows are cached: nothing reads the admitted rows again
    }
    SparkRun run = null;
    SparkRows fitted = null;
    try {
      SparkRows rows = encoded.features();
      if (anonymized != null
          && rows.rows() != anonymized.input() - anonymized.suppressed()) {
        // Rows counted into classes that are not the rows released: a class may have shrunk
        // below what the search checked.
        throw new ConfigurationException("the anonymize stage counted " + anonymized.input()
            + " rows and suppressed " + anonymized.suppressed() + ", but "
            + rows.rows() + " were released: the input changed between Spark's jobs; make it "
            + "deterministic (cache or checkpoint it) before running");
      }
      recorder.minimization(used, minimized.fields().dropped(), minimized.fields().coarsened(),
          anonymized == null ? rows.rows() : anonymized.input(), minimized.retention(),
          minimized.withheld());
      SegmentContext context = SegmentContext.of(Runnable::run, 1);
      ChunkedFit fit;
      DpKMeans.Scaling scaling = null;
      if (plan.segmenter() instanceof DpKMeans dp) {
        // DP k-means fits on features scaled from declared bounds, in chunks of their own.
        scaling = dp.scaling(project(features, used));
        fitted = encoded.declared(scaling, features, dictionaries);
        fit = dp.fit(fitted, context);
      } else if (plan.segmenter() instanceof KPrototypes prototypes) {
        // k-prototypes fits on standardized numbers and category codes, in chunks of their own.
        fitted = encoded.mixed();
        fit = prototypes.fit(fitted, encoded.encoding().numericCount(), encoded.cardinality(),
            context);
      } else {
        fitted = rows;
        fit = ((ChunkedSegmenter) plan.segmenter()).fit(rows, context);
      }
      int[] sample = Silhouette.sampleRows(rows.rows(), plan.silhouetteSample(),
          plan.silhouetteSeed());
      double silhouette = silhouette(rows, fitted, sample, fit.segments());
      // The fit's segments on the driver, once, for the measures that compare with them.
      int[] segments = plan.stabilityRuns() > 0 || original != null ? fitted.labels() : null;
      SparkRows held = fitted;
      double stability = plan.segmenter() instanceof DpKMeans dp
          ? stability(dp, encoded, scaling, features, dictionaries, segments,
              plan.stabilityRuns())
          : stability(plan.segmenter(), other -> other instanceof KPrototypes prototypes
              ? prototypes.fit(held, encoded.encoding().numericCount(), encoded.cardinality(),
                  context)
              : ((ChunkedSegmenter) other).fit(held, context), held, segments,
              plan.stabilityRuns());
      Map<String, Object> impact = original == null ? null : impact(plan.segmenter(),
          segments, fit.segments(), anonymized.originals(), minimized.schema(), used, original);
      recorder.segmentation(fit, rows.cols(), silhouette, sample.length, stability, impact);
      timer.end(Stage.SEGMENT);

      timer.begin();
      Profiles profiles = SparkProfiles.release(encoded, fitted, features, used, dictionaries,
          fit.segments(), plan.releasePolicy());
      recorder.release(rows.rows(), profiles);
      Dataset<Row> assignments = assignments(encoded, fitted, used.size());
      Dataset<Row> microdata = anonymized == null ? null
          : microdata(encoded, used, anonymized.covered(), features,
              dictionaries);
      timer.end(Stage.RELEASE);
      SparkRows fittedRows = fitted;
      SparkAnonymize.Anonymized released = anonymized;
      run = new SparkRun(assignments, rows.rows(), profiles, recorder.build(), microdata,
          anonymized == null ? null : project(features, anonymized.covered()),
          () -> {
            fittedRows.close();
            encoded.close();
            if (released != null) {
              released.release().run();
            }
          });
      return run;
    } finally {
      if (run == null) {
        if (anonymized != null) {
          anonymized.release().run();
        }
        if (fitted != null) {
          fitted.close();
        }
        encoded.close();
      }
    }
  }

  /**
   * The dictionaries the local encoding uses: declared categories as declared; a coarsened
   * field's as the minimize stage found them; an open field's in the order the reader first
   * took each label, cut to the labels the processed rows hold.
   */
  private static Map<String, List<String>> dictionaries(SparkInput read, Dataset<Row> tagged,
      SparkMinimize.Minimized minimized, List<String> used,
      Map<String, List<String>> generalized) {
    Map<String, List<String>> out = new LinkedHashMap<>(minimized.dictionaries());
    out.putAll(generalized);
    List<String> open = new ArrayList<>();
    for (String field : used) {
      dev.privseg.core.schema.Field f = minimized.schema().field(field);
      if (out.containsKey(field) || f.type() != dev.privseg.core.schema.FieldType.CATEGORICAL) {
        continue;
      }
      if (f.hasClosedCategories()) {
        out.put(field, f.categories());
      } else {
        open.add(field);
      }
    }
    // Only the used fields whose order comes from the input: the values the minimized rows
    // hold (counted by the minimize stage), in the order the input first gives them.
    Map<String, List<String>> firstSeen = read.firstSeen(tagged, open);
    for (String field : open) {
      List<String> labels = new ArrayList<>(firstSeen.get(field));
      labels.retainAll(minimized.held().get(field));
      out.put(field, labels);
    }
    return out;
  }

  /** The fields {@code names} of {@code schema}, in that order. */
  static Schema project(Schema schema, List<String> names) {
    Schema.Builder b = Schema.builder();
    names.forEach(n -> b.add(schema.field(n)));
    return b.build();
  }

  /** {@code schema} without the field {@code name}. */
  private static Schema without(Schema schema, String name) {
    Schema.Builder b = Schema.builder();
    schema.fields().stream().filter(f -> !f.name().equals(name)).forEach(b::add);
    return b.build();
  }

  /** The covered fields of the processed rows, from the cached chunks, in input order. */
  private static Dataset<Row> microdata(SparkFeatures.Encoded encoded, List<String> used,
      List<String> covered, Schema schema, Map<String, List<String>> dictionaries) {
    int[] at = covered.stream().mapToInt(used::indexOf).toArray();
    String[][] labels = new String[at.length][];
    for (int i = 0; i < at.length; i++) {
      List<String> dictionary = dictionaries.get(covered.get(i));
      labels[i] = dictionary == null ? null : dictionary.toArray(String[]::new);
    }
    JavaRDD<Row> rows = encoded.values().flatMap(chunk -> {
      List<Row> out = new ArrayList<>(chunk.rows);
      for (int r = 0; r < chunk.rows; r++) {
        Object[] values = new Object[at.length];
        for (int i = 0; i < at.length; i++) {
          values[i] = chunk.value(at[i], r, labels[i]);
        }
        out.add(RowFactory.create(values));
      }
      return out.iterator();
    });
    StructType struct = new StructType();
    for (String f : covered) {
      struct = struct.add(f, SparkInput.canonical(schema.field(f).type()), true);
    }
    return encoded.features().spark().createDataFrame(rows, struct);
  }

  /**
   * The mean adjusted Rand index between the fit's {@code segments} and {@code runs} refits
   * with the local engine's other seeds (NaN if not asked, or fewer than 2 rows); the chunks are left
   * holding the fit's own segments, refitted with its seed (a fit is a function of its rows and
   * seed).
   */
  private static double stability(dev.privseg.core.segment.Segmenter segmenter,
      java.util.function.Function<dev.privseg.core.segment.Segmenter, ChunkedFit> fitOnRows,
      SparkRows rows, int[] segments, int runs) {
    if (runs == 0 || rows.rows() < 2) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 1; i <= runs; i++) {
      java.util.Optional<dev.privseg.core.segment.Segmenter> other =
          segmenter.withSeed(RunPlan.stabilitySeed(i));
      if (other.isEmpty()) {
        return Double.NaN; // as locally: a segmenter without seeds has no stability
      }
      fitOnRows.apply(other.get());
      sum += dev.privseg.core.segment.AdjustedRand.index(segments, rows.labels());
    }
    fitOnRows.apply(segmenter);
    return sum / runs;
  }

  /**
   * How far anonymization moved the segments, as the local engine measures it: the released
   * rows' original values encoded over their original {@code dictionaries} and fitted with the
   * same segmenter (DP k-means and k-prototypes on rows of their own layout, as for the run's
   * fit), their centres summed by chunk on the executors (see {@link AnonymizationImpact}).
   */
  private Map<String, Object> impact(dev.privseg.core.segment.Segmenter segmenter, int[] labels,
      int segments, Dataset<Row> originals, Schema schema, List<String> used,
      Map<String, List<String>> dictionaries) {
    try (SparkFeatures.Encoded plain = SparkFeatures.encode(originals, schema, used,
        dictionaries, partitions)) {
      SparkRows features = plain.features();
      SegmentContext context = SegmentContext.of(Runnable::run, 1);
      // The reference fit on the rows as the segmenter fits them (DP k-means and k-prototypes
      // on chunks of their own); the centres compared in the standardized features.
      SparkRows fitted = features;
      try {
        ChunkedFit reference;
        if (segmenter instanceof DpKMeans dp) {
          fitted = plain.declared(dp.scaling(project(schema, used)), schema, dictionaries);
          reference = dp.fit(fitted, context);
        } else if (segmenter instanceof KPrototypes prototypes) {
          fitted = plain.mixed();
          reference = prototypes.fit(fitted, plain.encoding().numericCount(),
              plain.cardinality(), context);
        } else {
          reference = ((ChunkedSegmenter) segmenter).fit(features, context);
        }
        int[] referenceLabels = fitted.labels();
        org.apache.spark.api.java.JavaSparkContext jsc = new org.apache.spark.api.java
            .JavaSparkContext(features.spark().sparkContext());
        org.apache.spark.broadcast.Broadcast<int[]> shared = jsc.broadcast(labels);
        org.apache.spark.broadcast.Broadcast<int[]> sharedReference =
            jsc.broadcast(referenceLabels);
        int d = features.cols();
        double[] sums = new double[segments * d + segments];
        double[] referenceSums = new double[reference.segments() * d + reference.segments()];
        try {
          for (double[][] part : features.update(new ImpactSums(shared, segments,
              sharedReference, reference.segments()))) {
            AnonymizationImpact.add(sums, part[0]);
            AnonymizationImpact.add(referenceSums, part[1]);
          }
        } finally {
          shared.destroy();
          sharedReference.destroy();
        }
        return AnonymizationImpact.of(labels, segments, sums, referenceLabels,
            reference.segments(), referenceSums, d, reference.inertia());
      } finally {
        if (fitted != features) {
          fitted.close();
        }
      }
    }
  }

  /**
   * A chunk's original features added up by the run's segments and by the reference fit's
   * (both broadcast, by row).
   */
  static final class ImpactSums implements ChunkStep<double[][]> {
    private static final long serialVersionUID = 1L;
    private final org.apache.spark.broadcast.Broadcast<int[]> labels;
    private final int k;
    private final org.apache.spark.broadcast.Broadcast<int[]> reference;
    private final int referenceK;

    ImpactSums(org.apache.spark.broadcast.Broadcast<int[]> labels, int k,
        org.apache.spark.broadcast.Broadcast<int[]> reference, int referenceK) {
      this.labels = labels;
      this.k = k;
      this.reference = reference;
      this.referenceK = referenceK;
    }

    @Override
    public double[][] apply(Chunk chunk) {
      int d = chunk.cols();
      double[] values = new double[chunk.rows() * d];
      for (int r = 0; r < chunk.rows(); r++) {
        chunk.copyRow(r, values, r * d);
      }
      return new double[][] {
          AnonymizationImpact.chunkSums(values, 0, chunk.rows(), d, labels.value(),
              chunk.firstRow(), k),
          AnonymizationImpact.chunkSums(values, 0, chunk.rows(), d, reference.value(),
              chunk.firstRow(), referenceK)};
    }
  }

  /**
   * The mean adjusted Rand index between the DP fit's {@code segments} and {@code runs} refits
   * with the local engine's other seeds, each on chunks of its own (so the fit's segments stay);
   * each refit spends its ε as locally, in the same order.
   */
  private static double stability(DpKMeans dp, SparkFeatures.Encoded encoded,
      DpKMeans.Scaling scaling, Schema schema, Map<String, List<String>> dictionaries,
      int[] segments, int runs) {
    if (runs == 0 || segments.length < 2) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 1; i <= runs; i++) {
      DpKMeans other = (DpKMeans) dp.withSeed(RunPlan.stabilitySeed(i)).orElseThrow();
      try (SparkRows rows = encoded.declared(scaling, schema, dictionaries)) {
        other.fit(rows, SegmentContext.of(Runnable::run, 1));
        sum += dev.privseg.core.segment.AdjustedRand.index(segments, rows.labels());
      }
    }
    return sum / runs;
  }

  /**
   * The silhouette of the sample rows on their {@code features}, each row in the segment the fit
   * left in {@code fitted} (the same rows in the same chunks), fetched in the sample's order.
   */
  private static double silhouette(SparkRows rows, SparkRows fitted, int[] sample,
      int segments) {
    Map<Integer, Integer> order = new HashMap<>();
    for (int i = 0; i < sample.length; i++) {
      order.put(sample[i], i);
    }
    int d = rows.cols();
    double[] values = new double[sample.length * d];
    int[] labels = new int[sample.length];
    JavaRDD<Tuple2<Integer, double[]>> found = rows.chunkRdd().zipPartitions(fitted.chunkRdd(),
        (chunks, labelled) -> {
          List<Tuple2<Integer, double[]>> out = new ArrayList<>();
          while (chunks.hasNext()) {
            Chunk chunk = chunks.next();
            Chunk segmented = labelled.next();
            for (int r = 0; r < chunk.rows(); r++) {
              Integer at = order.get(chunk.firstRow() + r);
              if (at != null) {
                double[] v = new double[d + 1];
                chunk.copyRow(r, v, 0);
                v[d] = segmented.label(r);
                out.add(new Tuple2<>(at, v));
              }
            }
          }
          return out.iterator();
        });
    for (Tuple2<Integer, double[]> t : SparkErrors.action(found::collect)) {
      System.arraycopy(t._2(), 0, values, t._1() * d, d);
      labels[t._1()] = (int) t._2()[d];
    }
    return Silhouette.ofSample(values, labels, d, segments);
  }

  /** Each processed row's pseudonym and the segment the fit left in {@code fitted}, in order. */
  private static Dataset<Row> assignments(SparkFeatures.Encoded encoded, SparkRows fitted,
      int pseudonymColumn) {
    JavaRDD<Row> rows = encoded.values().zipPartitions(fitted.chunkRdd(),
        (values, chunks) -> {
          List<Row> out = new ArrayList<>();
          while (values.hasNext()) {
            ValueChunk chunkRows = values.next();
            Chunk chunk = chunks.next();
            for (int r = 0; r < chunkRows.rows; r++) {
              out.add(RowFactory.create(chunkRows.text(pseudonymColumn, r), chunk.label(r)));
            }
          }
          return out.iterator();
        });
    return encoded.features().spark().createDataFrame(rows, new StructType()
        .add("pseudonym", DataTypes.StringType, false)
        .add("segment", DataTypes.IntegerType, false));
  }

  /** Times the stages into the record. */
  private static final class Timer {
    private final RunRecorder recorder;
    private long start;

    Timer(RunRecorder recorder) {
      this.recorder = recorder;
    }

    void begin() {
      start = System.nanoTime();
    }

    void end(Stage stage) {
      recorder.stageTime(stage, Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
