package dev.privseg.spec;

import dev.privseg.anonymization.dp.DpProfiles;
import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.anonymization.dp.Rational;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.minimize.Minimization;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.schema.SchemaLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pipeline spec (a YAML file, as {@code privseg run} reads) as a library: its schema, its input
 * and its pipeline, made in one pass from the file, with every resource it names (schema,
 * hierarchies, allow-lists, key stores, the consent database) resolved relative to the file. The
 * CLI, Java hosts and later integrations load specs through this one class, so a spec means the
 * same everywhere. Every key is described in {@code docs/spec.md} and in the JSON Schema
 * {@code privseg-spec.schema.json} shipped in this jar.
 *
 * <pre>{@code
 * try (Spec spec = Spec.load(Path.of("segmentation.yaml"))) {
 *   SegmentationRun run = spec.pipeline().run(spec.read());
 *   spec.registerMemberships(run); // with a consent ledger: access requests can list them
 * }
 * }</pre>
 *
 * <p>Errors are {@link ConfigurationException}s that name the option and where it is (line and
 * column for the YAML itself), never the text written there. A spec with a consent ledger holds
 * its database open until {@link #close()}. Not thread-safe.
 */
public final class Spec implements AutoCloseable {
  private final PipelineSpec spec;
  private final Path base;
  private final Map<String, String> environment;
  private ConsentDatabase consentDb;
  /** With a ledger: how long registered runs are kept (null: until forgotten). */
  private java.time.Period keepRunsFor;
  private ConsentLedger ledger;
  private PrivacyAccountant accountant;
  private LawfulBasisGate gate;
  private Purpose purpose;
  /** The application's consent database, ledger and policies, when attached; else null. */
  private Attached attached;

  private record Attached(ConsentDatabase database, ConsentLedger ledger,
      List<ConsentPolicy> policies) {}

  /** The gate, made once; it opens the consent database when the spec uses a ledger. */
  private LawfulBasisGate gate() throws IOException {
    if (gate == null) {
      gate = gate(purpose);
    }
    return gate;
  }

  private Spec(PipelineSpec spec, Path base, Map<String, String> environment) {
    this.spec = spec;
    this.base = base;
    this.environment = environment;
  }

  /**
   * Reads the spec in {@code file}, taking environment variables (keys, passwords) from this
   * process's environment.
   *
   * @throws ConfigurationException naming the option (or the line and column) that is wrong
   * @throws IOException if the file cannot be read
   */
  public static Spec load(Path file) throws IOException {
    return load(file, System.getenv());
  }

  /**
   * Reads the spec in {@code file}, taking environment variables (keys, passwords) from
   * {@code environment}.
   *
   * @throws ConfigurationException naming the option (or the line and column) that is wrong
   * @throws IOException if the file cannot be read
   */
  public static Spec load(Path file, Map<String, String> environment) throws IOException {
    PipelineSpec spec = SpecReader.read(file);
    Path dir = file.toAbsolutePath().getParent();
    return new Spec(spec, dir, environment);
  }

  /**
   * Reads a spec from {@code text} (a classpath resource's, say). {@code name} names it in
   * messages; its relative paths (schema file, input, hierarchies) resolve against {@code base}.
   *
   * @throws ConfigurationException naming the option (or the line and column) that is wrong
   */
  public static Spec parse(String text, String name, Path base,
      Map<String, String> environment) {
    Checks.notBlank(name, "name");
    PipelineSpec spec = SpecReader.parse(text, name);
    return new Spec(spec, Checks.notNull(base, "base").toAbsolutePath(),
        Checks.notNull(environment, "environment"));
  }

  /**
   * Runs this spec in an application's consent database instead of one the spec names: its
   * ledger gate decides in {@code ledger}, directory pseudonyms, persistent budgets and
   * registered memberships live in {@code database}, and the purpose is decided by the policy
   * among {@code policies} for the spec's purpose id (the spec's own policy options when none
   * is). The spec must have {@code lawfulBasis.ledger}, without {@code db}, {@code jdbc} or
   * {@code keyEnv}, and without policy options where {@code policies} decide. Closing the spec
   * leaves the database open. Call before {@link #pipeline()}.
   *
   * @throws ConfigurationException naming the option that conflicts
   */
  public Spec inConsentDatabase(ConsentDatabase database, ConsentLedger ledger,
      List<ConsentPolicy> policies) {
    Checks.notNull(database, "database");
    Checks.notNull(ledger, "ledger");
    Checks.notNull(policies, "policies");
    Checks.check(gate == null, "the spec's pipeline was already built in its own database");
    PipelineSpec.LedgerSpec l = spec.lawfulBasis() == null ? null : spec.lawfulBasis().ledger();
    Checks.check(l != null, "spec: lawfulBasis.ledger is required to run in the application's "
        + "consent database");
    for (String[] option : new String[][] {{"db", l.db()}, {"jdbc", l.jdbc()},
        {"keyEnv", l.keyEnv()}}) {
      Checks.check(option[1] == null, "spec: lawfulBasis.ledger.%s is not used: the pipeline "
          + "runs in the application's consent database, with its key; remove it", option[0]);
    }
    this.attached = new Attached(database, ledger, List.copyOf(policies));
    if (applicationPolicy().isPresent()) {
      for (String[] option : new String[][] {
          {"consentExpiryMonths", String.valueOf(l.consentExpiryMonths())},
          {"directMarketing", String.valueOf(l.directMarketing())},
          {"optOutExcludes", String.valueOf(l.optOutExcludes())}}) {
        Checks.check(option[1].equals("null"), "spec: lawfulBasis.ledger.%s is not used: the "
            + "application's policy for purpose '%s' decides; remove it", option[0],
            purpose().id().value());
      }
    }
    return this;
  }

  /** The application's policy for the spec's purpose, when attached and it has one. */
  private java.util.Optional<ConsentPolicy> applicationPolicy() {
    if (attached == null) {
      return java.util.Optional.empty();
    }
    String id = purpose().id().value();
    return attached.policies().stream()
        .filter(p -> p.purpose().id().value().equals(id)).findFirst();
  }

  /** The schema the spec declares (inline, or in its {@code schemaFile}). */
  public Schema schema() throws IOException {
    if (spec.schemaFile() != null) {
      Checks.check(spec.schema() == null, "spec: give either 'schema' or 'schemaFile', not both");
      return Schema.load(resolve(spec.schemaFile()));
    }
    Checks.check(spec.schema() != null, "spec: 'schema' or 'schemaFile' is required");
    return SchemaLoader.fromMap(spec.schema());
  }

  /** Reads the spec's input: its CSV file or its database query. */
  public Dataset read() throws IOException {
    return read(null);
  }

  /**
   * Reads the spec's input, or the CSV file {@code inputOverride} instead of the spec's
   * {@code input.path} if it is not null.
   */
  public Dataset read(Path inputOverride) throws IOException {
    PipelineSpec.Input in = Checks.notNull(spec.input(), "spec: 'input'");
    String format = in.format() == null ? "csv" : in.format().toLowerCase(Locale.ROOT);
    Checks.check(format.equals("csv") || format.equals("jdbc"),
        "spec: input.format must be 'csv' or 'jdbc' but was '%s'", format);
    boolean lenient = Boolean.TRUE.equals(in.lenient());
    if (format.equals("jdbc")) {
      Checks.check(inputOverride == null, "--input names a file; this spec reads a database");
      Checks.check(in.path() == null && in.delimiter() == null && in.encoding() == null,
          "spec: input.path, input.delimiter and input.encoding are for csv, not jdbc");
      return SpecInputs.readJdbc(in, lenient, this::schema, environment);
    }
    CsvInput csv = csvInput(inputOverride);
    return CsvReader.builder().delimiter(csv.delimiter()).charset(csv.charset())
        .lenient(csv.lenient()).build().read(csv.file(), schema());
  }

  /**
   * The spec's CSV input, for a reader other than privseg's (Spark's).
   *
   * @param file the data file
   * @param delimiter its field delimiter
   * @param charset its encoding
   * @param lenient whether rows that do not fit the schema are counted and skipped (true) or
   *     stop the run (false)
   */
  public record CsvInput(Path file, char delimiter, java.nio.charset.Charset charset,
      boolean lenient) {}

  /**
   * The spec's CSV input, or the file {@code inputOverride} instead of its {@code input.path} if
   * that is not null, checked as {@link #read(Path)} checks it.
   *
   * @throws ConfigurationException if the spec reads a database, or its input options are wrong
   */
  public CsvInput csvInput(Path inputOverride) {
    PipelineSpec.Input in = Checks.notNull(spec.input(), "spec: 'input'");
    String format = in.format() == null ? "csv" : in.format().toLowerCase(Locale.ROOT);
    Checks.check(format.equals("csv"), "spec: this engine reads input.format csv, not '%s'",
        format);
    Checks.check(in.url() == null && in.query() == null && in.user() == null
        && in.passwordEnv() == null, "spec: input.url, query, user and passwordEnv are for jdbc");
    String delimiter = in.delimiter() == null ? "," : in.delimiter();
    Checks.check(delimiter.length() == 1, "spec: input.delimiter must be one character");
    Path file = inputOverride != null ? inputOverride
        : resolve(Checks.notNull(in.path(), "spec: input.path"));
    return new CsvInput(file, delimiter.charAt(0), SpecInputs.charset(in.encoding()),
        Boolean.TRUE.equals(in.lenient()));
  }

  /**
   * The environment variable the pseudonymization key is read from, when the spec reads it from
   * one ({@code pseudonymize.key.env}): where another engine's workers find the same key.
   */
  public java.util.Optional<String> keyEnvironmentVariable() {
    return spec.pseudonymize() != null && spec.pseudonymize().key() instanceof KeySpec.EnvKey e
        ? java.util.Optional.ofNullable(e.env()) : java.util.Optional.empty();
  }

  /**
   * With a consent ledger, the environment variable its subject key is read from
   * ({@code lawfulBasis.ledger.keyEnv}, default {@code PRIVSEG_KEY}); empty without a ledger.
   */
  public java.util.Optional<String> ledgerKeyEnvironmentVariable() {
    if (spec.lawfulBasis() == null || spec.lawfulBasis().ledger() == null) {
      return java.util.Optional.empty();
    }
    String env = spec.lawfulBasis().ledger().keyEnv();
    return java.util.Optional.of(env == null ? "PRIVSEG_KEY" : env);
  }

  /**
   * With a consent ledger in PostgreSQL ({@code lawfulBasis.ledger.jdbc}), its JDBC URL, as the
   * spec gives it (the password, if any, is not part of it: {@code PGPASSWORD}); empty for a
   * ledger in an H2 directory or without a ledger.
   */
  public java.util.Optional<String> ledgerJdbcUrl() {
    if (spec.lawfulBasis() == null || spec.lawfulBasis().ledger() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.ofNullable(spec.lawfulBasis().ledger().jdbc());
  }

  /** The spec's purpose. */
  private Purpose purpose() {
    PipelineSpec.PurposeSpec p = Checks.notNull(spec.purpose(), "spec: 'purpose'");
    return Purpose.of(Checks.notNull(p.id(), "spec: purpose.id"),
        Checks.notNull(p.description(), "spec: purpose.description"),
        basis(Checks.notNull(p.lawfulBasis(), "spec: purpose.lawfulBasis")));
  }

  /**
   * With a consent ledger, the policy its gate decides the spec's purpose by, as a run of the
   * spec decides it: for a later decision about the run's members (an activation check) that
   * must decide them the same way. Opens nothing; empty without a ledger.
   */
  public java.util.Optional<ConsentPolicy> ledgerPolicy() {
    if (spec.lawfulBasis() == null || spec.lawfulBasis().ledger() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(applicationPolicy()
        .orElseGet(() -> policy(spec.lawfulBasis().ledger(), purpose())));
  }

  /**
   * How long the spec's runs are kept registered ({@code lawfulBasis.ledger.keepRunsFor}):
   * what a compliance status measures the runs held against. Opens nothing; empty if not set.
   */
  public java.util.Optional<java.time.Period> keepRunsFor() {
    if (spec.lawfulBasis() == null || spec.lawfulBasis().ledger() == null
        || spec.lawfulBasis().ledger().keepRunsFor() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(positivePeriod(spec.lawfulBasis().ledger().keepRunsFor(),
        "lawfulBasis.ledger.keepRunsFor"));
  }

  /**
   * The pipeline the spec describes, bound to its schema, so that every field the stages name is
   * checked before any data is read. A spec with a consent ledger opens its database here.
   */
  public SegmentationPipeline pipeline() throws IOException {
    Purpose purpose = purpose();
    this.purpose = purpose;
    PipelineSpec.PseudonymizeSpec ps = Checks.notNull(spec.pseudonymize(), "spec: 'pseudonymize'");
    PipelineSpec.SegmentationSpec seg = Checks.notNull(spec.segmentation(),
        "spec: 'segmentation'");
    return build(purpose, ps, SpecSegmenters.segmenter(seg, this::accountant), null);
  }

  /**
   * The pipeline the spec describes, assigning each row to the segments run {@code runId} saved
   * in the spec's consent database instead of fitting the spec's segmenter (incremental
   * assignment, {@code SegmentationBuilder.assignTo}): the other stages as the spec says, the
   * anonymize stage, if any, applying the run's saved scheme.
   *
   * @throws ConfigurationException if the spec has no consent database, the run is not
   *     registered in it, or it saved no segments (the message says which)
   */
  public SegmentationPipeline pipelineAssigningTo(String runId) throws IOException {
    Checks.notBlank(runId, "run id");
    Purpose purpose = purpose();
    this.purpose = purpose;
    PipelineSpec.PseudonymizeSpec ps = Checks.notNull(spec.pseudonymize(), "spec: 'pseudonymize'");
    Checks.notNull(spec.segmentation(), "spec: 'segmentation'");
    return build(purpose, ps, null, runId);
  }

  /** The segments run {@code runId} saved in the consent database the gate opened. */
  private dev.privseg.core.segment.SegmentModel savedModel(String runId) {
    if (consentDb == null) {
      throw new ConfigurationException("assigning to run " + runId + "'s segments needs the "
          + "consent database the run was registered in: give the spec a ledger with a "
          + "database (lawfulBasis.ledger.db or lawfulBasis.ledger.jdbc)");
    }
    return consentDb.memberships().model(runId).orElseThrow(() -> new ConfigurationException(
        consentDb.memberships().run(runId).isEmpty()
            ? "run " + runId + " is not registered in the spec's consent database"
            : "run " + runId + " saved no segments to assign to: only runs segmented by "
                + "k-means or rules whose anonymizer, if any, saves its scheme (full-domain "
                + "generalization) do"));
  }

  private SegmentationPipeline build(Purpose purpose, PipelineSpec.PseudonymizeSpec ps,
      dev.privseg.core.segment.Segmenter segmenter, String assignTo) throws IOException {
    PipelineSpec.SegmentationSpec seg = spec.segmentation();
    int minSize = spec.release() == null || spec.release().minSegmentSize() == null
        ? dev.privseg.core.release.ReleasePolicy.DEFAULT_MIN_SEGMENT_SIZE
        : spec.release().minSegmentSize();
    // The spec's schema is bound, so that every field the stages name is checked before any
    // data is read.
    dev.privseg.core.pipeline.SegmentationBuilder builder = Segmentation.forPurpose(purpose)
        .schema(schema())
        .lawfulBasis(gate())
        .minimize(this::minimization)
        .pseudonymize(Checks.notNull(ps.field(), "spec: pseudonymize.field"),
            pseudonymizer(Checks.notNull(ps.key(), "spec: pseudonymize.key")));
    if (spec.anonymize() != null) {
      builder.anonymize(SpecAnonymizers.anonymizer(spec.anonymize(), this::resolve));
      if (Boolean.TRUE.equals(spec.anonymize().measureImpact())) {
        builder.measureAnonymizationImpact();
      }
    }
    if (assignTo != null) {
      builder.assignTo(savedModel(assignTo));
    } else {
      builder.segmentWith(segmenter)
          .stability(seg.stability() == null ? 0 : seg.stability());
    }
    dev.privseg.core.release.ProfileMechanism mechanism = profileMechanism();
    return builder
        .releaseProfiles(r -> r.minSegmentSize(minSize).mechanism(mechanism))
        .build();
  }

  private dev.privseg.core.release.ProfileMechanism profileMechanism() throws IOException {
    PipelineSpec.DpReleaseSpec dp = spec.release() == null ? null
        : spec.release().differentialPrivacy();
    if (dp == null) {
      return dev.privseg.core.release.ProfileMechanism.exact();
    }
    DpProfiles.Builder b = DpProfiles.spending(accountant(), SpecOptions.rational(
        Checks.notNull(dp.epsilon(), "spec: release.differentialPrivacy.epsilon"),
        "release.differentialPrivacy.epsilon"));
    if (dp.bounds() != null) {
      for (Map.Entry<String, List<Long>> e : dp.bounds().entrySet()) {
        List<Long> bound = e.getValue();
        Checks.check(bound != null && bound.size() == 2,
            "spec: release.differentialPrivacy.bounds.%s must be [min, max]", e.getKey());
        b.bounds(e.getKey(), bound.get(0), bound.get(1));
      }
    }
    if (dp.quartiles() != null) {
      b.quartiles(dp.quartiles());
    }
    return b.build();
  }

  /** The run's privacy budget, made once from {@code privacyBudget}. */
  private PrivacyAccountant accountant() throws IOException {
    if (accountant != null) {
      return accountant;
    }
    PipelineSpec.BudgetSpec b = Checks.notNull(spec.privacyBudget(), "spec: 'privacyBudget' is "
        + "required by dpkmeans and release.differentialPrivacy");
    Rational epsilon = SpecOptions.rational(
        Checks.notNull(b.epsilon(), "spec: privacyBudget.epsilon"), "privacyBudget.epsilon");
    Rational delta = b.delta() == null ? Rational.ZERO
        : SpecOptions.rational(b.delta(), "privacyBudget.delta");
    if (b.persistAs() == null) {
      accountant = PrivacyAccountant.withBudget(epsilon, delta);
    } else {
      gate(); // opens the consent database when the spec has a ledger
      Checks.check(consentDb != null, "spec: privacyBudget.persistAs needs lawfulBasis.ledger "
          + "(spends are kept in the consent database)");
      accountant = PrivacyAccountant.persistent(b.persistAs(), epsilon, delta,
          consentDb.spendLog());
    }
    return accountant;
  }

  /**
   * Whether runs of this spec register their segment memberships: with a consent ledger and the
   * subject directory's pseudonyms ({@code pseudonymize.key: {directory: true}}), which erasure
   * finds and forgets. Opens nothing.
   */
  public boolean registersMemberships() {
    return spec.lawfulBasis() != null && spec.lawfulBasis().ledger() != null
        && spec.pseudonymize() != null
        && spec.pseudonymize().key() instanceof KeySpec.DirectoryKey;
  }

  /** Whether the spec has an {@code anonymize} section. */
  public boolean anonymizes() {
    return spec.anonymize() != null;
  }

  private static LawfulBasis basis(String text) {
    try {
      return LawfulBasis.valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("spec: purpose.lawfulBasis must be one of "
          + java.util.Arrays.toString(LawfulBasis.values()) + " but was '" + text + "'");
    }
  }

  private LawfulBasisGate gate(Purpose purpose) throws IOException {
    PipelineSpec.LawfulBasisSpec g = Checks.notNull(spec.lawfulBasis(), "spec: 'lawfulBasis'");
    Checks.check((g.allowedSubjects() == null) != (g.ledger() == null),
        "spec: lawfulBasis needs exactly one of allowedSubjects or ledger");
    if (g.ledger() != null) {
      return ledgerGate(g.ledger(), purpose);
    }
    Path file = resolve(g.allowedSubjects());
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String id = line.strip();
      if (!id.isEmpty() && !id.startsWith("#")) {
        ids.add(id);
      }
    }
    return LawfulBasisGate.allowList(ids);
  }

  private void minimization(Minimization m) {
    PipelineSpec.MinimizeSpec spec = Checks.notNull(this.spec.minimize(), "spec: 'minimize'");
    Checks.check(spec.keep() != null, "spec: minimize.keep is required");
    m.keep(spec.keep().toArray(new String[0]));
    if (spec.keepSpecialCategory() != null) {
      m.keepSpecialCategory(spec.keepSpecialCategory().toArray(new String[0]));
    }
    if (spec.drop() != null) {
      m.drop(spec.drop().toArray(new String[0]));
    }
    if (spec.coarsen() != null) {
      spec.coarsen().forEach((field, rule) -> m.coarsen(field, rule.coarsening(field)));
    }
    if (spec.retain() != null) {
      String period = Checks.notBlank(spec.retain().period(), "spec: minimize.retain.period");
      m.retainFor(Checks.notBlank(spec.retain().field(), "spec: minimize.retain.field"),
          isoPeriod(period, "minimize.retain.period", "P3Y or P18M"));
    }
  }

  private LawfulBasisGate ledgerGate(PipelineSpec.LedgerSpec l, Purpose purpose) {
    if (l.keepRunsFor() != null) {
      keepRunsFor = positivePeriod(l.keepRunsFor(), "lawfulBasis.ledger.keepRunsFor");
    }
    if (attached != null) {
      consentDb = attached.database();
      ledger = attached.ledger();
      return ConsentGate.of(ledger, List.of(applicationPolicy()
          .orElseGet(() -> policy(l, purpose))));
    }
    Checks.check((l.db() == null) != (l.jdbc() == null),
        "spec: lawfulBasis.ledger needs exactly one of db or jdbc");
    // A run never creates the consent database: a mistyped path or URL is reported as that.
    consentDb = l.db() != null ? ConsentDatabase.h2Existing(resolve(l.db()))
        : ConsentDatabase.postgresExisting(l.jdbc(), environment.get("PGPASSWORD"));
    ledger = consentDb.ledger(dev.privseg.consent.ledger.SubjectKeyer.from(
        KeyProvider.fromEnvironment(l.keyEnv() == null ? "PRIVSEG_KEY" : l.keyEnv(),
            environment)));
    return ConsentGate.of(ledger, List.of(policy(l, purpose)));
  }

  /** The policy of a ledger gate for {@code purpose}. */
  private static ConsentPolicy policy(PipelineSpec.LedgerSpec l, Purpose purpose) {
    ConsentPolicy.Builder policy = ConsentPolicy.forPurpose(purpose)
        .directMarketing(Boolean.TRUE.equals(l.directMarketing()))
        .optOutOfSaleOrSharingExcludes(!Boolean.FALSE.equals(l.optOutExcludes()));
    if (l.consentExpiryMonths() != null) {
      policy.consentExpiresAfter(java.time.Period.ofMonths(l.consentExpiryMonths()));
    }
    return policy.build();
  }

  private static java.time.Period positivePeriod(String text, String option) {
    java.time.Period period = isoPeriod(text, option, "P90D or P6M");
    Checks.check(!period.isNegative() && !period.isZero(),
        "spec: %s must be a positive period but was %s", option, period);
    return period;
  }

  private static java.time.Period isoPeriod(String text, String option, String examples) {
    try {
      return java.time.Period.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new ConfigurationException("spec: " + option + " must be an ISO-8601 period such as "
          + examples + " but was '" + text + "'");
    }
  }

  /**
   * Registers {@code run}'s segment memberships in the consent database when the spec uses a
   * ledger, so that access requests can list them with the logic of the run.
   */
  public java.util.Optional<String> registerMemberships(
      dev.privseg.core.pipeline.SegmentationRun run) {
    return registerMemberships(run.report(), (registry, logic) -> registry.register(run, logic));
  }

  /**
   * As {@link #registerMemberships(dev.privseg.core.pipeline.SegmentationRun)}, for the run that
   * made {@code report} on another engine: {@code register} registers its memberships in the
   * consent database's registry with the logic given (a Spark run's executors write them, say).
   */
  public java.util.Optional<String> registerMemberships(
      dev.privseg.core.report.ProcessingRecord report,
      java.util.function.BiConsumer<dev.privseg.consent.store.jdbc.JdbcMembershipRegistry,
          String> register) {
    java.util.Optional<String> not = membershipsNotRegistered(report);
    if (consentDb == null || not.isPresent()) {
      return not;
    }
    register.accept(consentDb.memberships(), "segments made by "
        + report.segmentation().algorithm() + " from the fields " + report.fields().used()
        + " for the purpose '" + report.purpose().id() + "' ("
        + report.purpose().description() + ")");
    if (keepRunsFor == null) {
      return java.util.Optional.empty();
    }
    java.time.Instant cutoff = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
        .minus(keepRunsFor).toInstant();
    int forgotten = consentDb.memberships().forgetRunsRegisteredBefore(cutoff);
    return java.util.Optional.of(String.format(java.util.Locale.ROOT,
        "forgot %,d segment memberships of runs registered before %s (keepRunsFor %s)",
        forgotten, cutoff, keepRunsFor));
  }

  /**
   * With a consent ledger, why the memberships of the run that made {@code report} cannot be
   * registered, if they cannot: erasure finds a subject's memberships through its directory
   * pseudonym, so memberships under a keyed hash could neither be found nor forgotten.
   */
  public java.util.Optional<String> membershipsNotRegistered(
      dev.privseg.core.report.ProcessingRecord report) {
    if (consentDb == null || report.pseudonymization() != null
        && dev.privseg.consent.directory.DirectoryPseudonymizer.METHOD.equals(
            report.pseudonymization().method())) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of("memberships not registered: the pseudonyms are not the "
        + "subject directory's (pseudonymize.key.directory), so erasure could not forget them");
  }

  @Override
  public void close() {
    if (consentDb != null && attached == null) {
      consentDb.close();
    }
  }

  private Pseudonymizer pseudonymizer(KeySpec k) {
    return k.pseudonymizer(new KeySpec.KeyContext() {
      @Override
      public Map<String, String> environment() {
        return environment;
      }

      @Override
      public Path resolve(String path) {
        return Spec.this.resolve(path);
      }

      @Override
      public ConsentLedger ledger() {
        return ledger;
      }
    });
  }

  private Path resolve(String path) {
    return base.resolve(path).normalize();
  }
}
