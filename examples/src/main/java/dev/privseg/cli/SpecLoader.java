package dev.privseg.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.privseg.anonymization.Anonymize;
import dev.privseg.anonymization.dp.DpKMeans;
import dev.privseg.anonymization.dp.DpProfiles;
import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.anonymization.dp.Rational;
import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.anonymization.utility.LossMetric;
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
import dev.privseg.core.io.JdbcReader;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.minimize.Coarsening;
import dev.privseg.core.minimize.Minimization;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.schema.SchemaLoader;
import dev.privseg.core.segment.kmeans.KMeans;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Turns a {@link PipelineSpec} file into a schema, a dataset and a pipeline. Holds the consent
 * database open while the run needs it; close it after the run.
 */
final class SpecLoader implements AutoCloseable {
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
      Map.entry("epsilon", List.of("dpkmeans")),
      Map.entry("bounds", List.of("dpkmeans")),
      Map.entry("gamma", List.of("kprototypes")));

  /** The options each privacy model type takes ({@code c} only with variant recursive). */
  private static final Map<String, List<String>> MODEL_OPTIONS = Map.of(
      "k-anonymity", List.of("k"),
      "l-diversity", List.of("field", "l", "variant", "c"),
      "t-closeness", List.of("field", "t", "order"));

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

  /** The gate, made once; it opens the consent database when the spec uses a ledger. */
  private LawfulBasisGate gate() throws IOException {
    if (gate == null) {
      gate = gate(purpose);
    }
    return gate;
  }

  private SpecLoader(PipelineSpec spec, Path base, Map<String, String> environment) {
    this.spec = spec;
    this.base = base;
    this.environment = environment;
  }

  static SpecLoader load(Path file, Map<String, String> environment) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    PipelineSpec spec;
    try {
      spec = yaml.readValue(file.toFile(), PipelineSpec.class);
    } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
      String at = path(e);
      String parent = at.contains(".") ? "'" + at.substring(0, at.lastIndexOf('.')) + "'"
          : "a spec";
      throw new ConfigurationException("spec " + file.getFileName() + ": unknown option '"
          + at + "'; " + parent + " takes " + e.getKnownPropertyIds().stream()
              .map(Object::toString).sorted().toList(), e);
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
      if (e.getPath().isEmpty()
          && String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
        throw new ConfigurationException("spec " + file.getFileName() + " is empty", e);
      }
      throw new ConfigurationException("spec " + file.getFileName() + ": '" + path(e)
          + "' must be " + expected(e.getTargetType()), e);
    } catch (JsonMappingException e) {
      throw new ConfigurationException("spec " + file.getFileName() + ": "
          + e.getOriginalMessage() + " at '" + path(e) + "'", e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigurationException("spec " + file.getFileName() + " is not valid YAML: "
          + e.getOriginalMessage());
    }
    Checks.check(spec != null, "spec %s is empty", file.getFileName());
    Path dir = file.toAbsolutePath().getParent();
    return new SpecLoader(spec, dir, environment);
  }

  /** A privacy parameter of the spec; an error names where it is. */
  private static Rational rational(String text, String where) {
    try {
      return Rational.parse(text);
    } catch (ConfigurationException e) {
      throw new ConfigurationException("spec: " + where + ": " + e.getMessage());
    }
  }

  /** Where in the spec {@code e} happened, e.g. {@code segmentation.k} or {@code a[2].b}. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(top level)" : sb.toString();
  }

  /** What a spec value of {@code type} must look like, in the spec's words, not Java's. */
  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another kind";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a single value (text)";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "a mapping of options (key: value)";
  }

  Schema schema() throws IOException {
    if (spec.schemaFile() != null) {
      Checks.check(spec.schema() == null, "spec: give either 'schema' or 'schemaFile', not both");
      return Schema.load(resolve(spec.schemaFile()));
    }
    Checks.check(spec.schema() != null, "spec: 'schema' or 'schemaFile' is required");
    return SchemaLoader.fromMap(spec.schema());
  }

  Dataset read(Path inputOverride) throws IOException {
    PipelineSpec.Input in = Checks.notNull(spec.input(), "spec: 'input'");
    String format = in.format() == null ? "csv" : in.format().toLowerCase(Locale.ROOT);
    Checks.check(format.equals("csv") || format.equals("jdbc"),
        "spec: input.format must be 'csv' or 'jdbc' but was '%s'", format);
    boolean lenient = Boolean.TRUE.equals(in.lenient());
    if (format.equals("jdbc")) {
      Checks.check(inputOverride == null, "--input names a file; this spec reads a database");
      Checks.check(in.path() == null && in.delimiter() == null && in.encoding() == null,
          "spec: input.path, input.delimiter and input.encoding are for csv, not jdbc");
      return readJdbc(in, lenient);
    }
    Checks.check(in.url() == null && in.query() == null && in.user() == null
        && in.passwordEnv() == null, "spec: input.url, query, user and passwordEnv are for jdbc");
    String delimiter = in.delimiter() == null ? "," : in.delimiter();
    Checks.check(delimiter.length() == 1, "spec: input.delimiter must be one character");
    Path file = inputOverride != null ? inputOverride
        : resolve(Checks.notNull(in.path(), "spec: input.path"));
    return CsvReader.builder().delimiter(delimiter.charAt(0)).charset(charset(in.encoding()))
        .lenient(lenient).build().read(file, schema());
  }

  private static java.nio.charset.Charset charset(String encoding) {
    if (encoding == null) {
      return java.nio.charset.StandardCharsets.UTF_8;
    }
    try {
      return java.nio.charset.Charset.forName(encoding);
    } catch (IllegalArgumentException e) { // illegal or unsupported name
      throw new ConfigurationException("spec: input.encoding '" + encoding + "' is not a "
          + "character set this Java knows (for example UTF-8, windows-1252, ISO-8859-1)");
    }
  }

  /**
   * Runs the input query. Connection and query errors carry the driver's message (about the
   * server, credentials or SQL, read before any row); errors while reading rows carry only the
   * SQL state, as a driver may quote the value it could not read.
   */
  private Dataset readJdbc(PipelineSpec.Input in, boolean lenient) {
    String url = Checks.notBlank(in.url(), "spec: input.url");
    String query = Checks.notBlank(in.query(), "spec: input.query");
    Properties login = new Properties();
    if (in.user() != null) {
      login.setProperty("user", in.user());
    }
    if (in.passwordEnv() != null) {
      String password = environment.get(in.passwordEnv());
      Checks.check(password != null, "environment variable %s (database password) is not set",
          in.passwordEnv());
      login.setProperty("password", password);
    }
    Schema schema;
    try {
      schema = schema();
    } catch (IOException e) {
      throw new ConfigurationException("spec: cannot read the schema: " + e.getMessage());
    }
    try (Connection c = DriverManager.getConnection(url, login)) {
      c.setReadOnly(true);
      // Stream rows instead of buffering the whole result (PostgreSQL's driver streams only
      // inside a transaction and with a fetch size); nothing is written, so it just ends.
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.setFetchSize(10_000);
        return query(s, query, schema, lenient);
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new ConfigurationException("spec: cannot connect to input.url: " + e.getMessage());
    }
  }

  private static Dataset query(Statement s, String query, Schema schema, boolean lenient) {
    ResultSet rs;
    try {
      rs = s.executeQuery(query);
    } catch (SQLException e) {
      throw new ConfigurationException("spec: input.query failed: " + e.getMessage());
    }
    try (rs) {
      return JdbcReader.read(rs, schema, lenient);
    } catch (SQLException e) {
      // Not chained: the driver's message may quote a value.
      throw new dev.privseg.core.PrivsegException("reading the input query's rows failed "
          + "(SQL state " + e.getSQLState() + ")");
    }
  }

  SegmentationPipeline pipeline() throws IOException {
    PipelineSpec.PurposeSpec p = Checks.notNull(spec.purpose(), "spec: 'purpose'");
    Purpose purpose = Purpose.of(Checks.notNull(p.id(), "spec: purpose.id"),
        Checks.notNull(p.description(), "spec: purpose.description"),
        basis(Checks.notNull(p.lawfulBasis(), "spec: purpose.lawfulBasis")));
    this.purpose = purpose;
    PipelineSpec.PseudonymizeSpec ps = Checks.notNull(spec.pseudonymize(), "spec: 'pseudonymize'");
    PipelineSpec.SegmentationSpec seg = Checks.notNull(spec.segmentation(),
        "spec: 'segmentation'");
    String algorithm = seg.algorithm() == null ? "kmeans" : seg.algorithm();
    Checks.check(List.of("kmeans", "kprototypes", "gmm", "rules", "rfm", "dpkmeans")
        .contains(algorithm), "spec: segmentation.algorithm must be one of kmeans, kprototypes, "
            + "gmm, rules, rfm, dpkmeans but was '%s'", algorithm);
    rejectInapplicable(seg, algorithm);
    if (algorithm.equals("dpkmeans")) {
      DpKMeans dp = DpKMeans.clusters(Checks.notNull(seg.k(), "spec: segmentation.k"),
          accountant(), rational(Checks.notNull(seg.epsilon(),
              "spec: segmentation.epsilon is required for dpkmeans"), "segmentation.epsilon"))
          .seed(seg.seed() == null ? 0 : seg.seed());
      Checks.check(seg.bounds() != null, "spec: segmentation.bounds is required for dpkmeans: "
          + "[min, max] of every numeric feature");
      for (Map.Entry<String, List<Double>> e : seg.bounds().entrySet()) {
        List<Double> b = e.getValue();
        Checks.check(b != null && b.size() == 2, "spec: segmentation.bounds.%s must be [min, max]",
            e.getKey());
        dp = dp.bounds(e.getKey(), b.get(0), b.get(1));
      }
      return build(purpose, ps, seg.maxIterations() == null ? dp
          : dp.iterations(seg.maxIterations()));
    }
    if (algorithm.equals("kprototypes")) {
      dev.privseg.core.segment.kprototypes.KPrototypes kp = dev.privseg.core.segment.kprototypes
          .KPrototypes.clusters(Checks.notNull(seg.k(), "spec: segmentation.k"))
          .seed(seg.seed() == null ? 0 : seg.seed());
      if (seg.gamma() != null) {
        kp = kp.gamma(seg.gamma());
      }
      return build(purpose, ps, seg.maxIterations() == null ? kp
          : kp.maxIterations(seg.maxIterations()));
    }
    if (algorithm.equals("gmm")) {
      Checks.check((seg.k() == null) != (seg.chooseK() == null),
          "spec: segmentation needs exactly one of k or chooseK");
      dev.privseg.core.segment.gmm.GaussianMixture gmm = dev.privseg.core.segment.gmm
          .GaussianMixture.components(seg.k() == null ? 2 : seg.k())
          .seed(seg.seed() == null ? 0 : seg.seed());
      if (seg.maxIterations() != null) {
        gmm = gmm.maxIterations(seg.maxIterations());
      }
      if (seg.chooseK() != null) {
        gmm = gmm.chooseK(Checks.notNull(seg.chooseK().min(), "spec: segmentation.chooseK.min"),
            Checks.notNull(seg.chooseK().max(), "spec: segmentation.chooseK.max"));
      }
      return build(purpose, ps, gmm);
    }
    if (!algorithm.equals("kmeans")) {
      return build(purpose, ps, otherSegmenter(algorithm, seg));
    }
    Checks.check((seg.k() == null) != (seg.chooseK() == null),
        "spec: segmentation needs exactly one of k or chooseK");
    KMeans kmeans = KMeans.clusters(seg.k() == null ? 2 : seg.k())
        .seed(seg.seed() == null ? 0 : seg.seed());
    if (seg.maxIterations() != null) {
      kmeans = kmeans.maxIterations(seg.maxIterations());
    }
    if (seg.miniBatch() != null) {
      kmeans = kmeans.miniBatch(seg.miniBatch());
    }
    if (seg.tolerance() != null) {
      kmeans = kmeans.tolerance(seg.tolerance());
    }
    if (seg.accelerated() != null) {
      kmeans = kmeans.accelerated(seg.accelerated());
    }
    dev.privseg.core.segment.Segmenter segmenter = kmeans;
    if (seg.chooseK() != null) {
      PipelineSpec.ChooseKSpec c = seg.chooseK();
      segmenter = kmeans.chooseK(Checks.notNull(c.min(), "spec: segmentation.chooseK.min"),
          Checks.notNull(c.max(), "spec: segmentation.chooseK.max"),
          ConsentCommand.enumOf(dev.privseg.core.segment.kmeans.KSelection.Criterion.class,
              c.by() == null ? "silhouette" : c.by(), "spec: segmentation.chooseK.by"));
    }
    return build(purpose, ps, segmenter);
  }

  private SegmentationPipeline build(Purpose purpose, PipelineSpec.PseudonymizeSpec ps,
      dev.privseg.core.segment.Segmenter segmenter) throws IOException {
    PipelineSpec.SegmentationSpec seg = spec.segmentation();
    int minSize = spec.release() == null || spec.release().minSegmentSize() == null
        ? dev.privseg.core.release.ReleasePolicy.DEFAULT_MIN_SEGMENT_SIZE
        : spec.release().minSegmentSize();
    dev.privseg.core.pipeline.SegmentationBuilder builder = Segmentation.forPurpose(purpose)
        .lawfulBasis(gate())
        .minimize(this::minimization)
        .pseudonymize(Checks.notNull(ps.field(), "spec: pseudonymize.field"),
            pseudonymizer(Checks.notNull(ps.key(), "spec: pseudonymize.key")));
    if (spec.anonymize() != null) {
      builder.anonymize(anonymizer(spec.anonymize()));
      if (Boolean.TRUE.equals(spec.anonymize().measureImpact())) {
        builder.measureAnonymizationImpact();
      }
    }
    dev.privseg.core.release.ProfileMechanism mechanism = profileMechanism();
    return builder
        .segmentWith(segmenter)
        .stability(seg.stability() == null ? 0 : seg.stability())
        .releaseProfiles(r -> r.minSegmentSize(minSize).mechanism(mechanism))
        .build();
  }

  private dev.privseg.core.release.ProfileMechanism profileMechanism() throws IOException {
    PipelineSpec.DpReleaseSpec dp = spec.release() == null ? null
        : spec.release().differentialPrivacy();
    if (dp == null) {
      return dev.privseg.core.release.ProfileMechanism.exact();
    }
    DpProfiles.Builder b = DpProfiles.spending(accountant(), rational(Checks.notNull(
        dp.epsilon(), "spec: release.differentialPrivacy.epsilon"),
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
    Rational epsilon = rational(Checks.notNull(b.epsilon(), "spec: privacyBudget.epsilon"),
        "privacyBudget.epsilon");
    Rational delta = b.delta() == null ? Rational.ZERO
        : rational(b.delta(), "privacyBudget.delta");
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

  /** Whether the spec has an anonymize stage. */
  boolean anonymizes() {
    return spec.anonymize() != null;
  }

  private dev.privseg.core.anonymize.Anonymizer anonymizer(PipelineSpec.AnonymizeSpec a)
      throws IOException {
    String method = a.method() == null ? "generalization" : a.method();
    if (method.equals("mondrian") || method.equals("mdav")) {
      Checks.check(a.quasiIdentifiers() != null && !a.quasiIdentifiers().isEmpty(),
          "spec: anonymize.quasiIdentifiers is required for %s", method);
      List<String> generalizationOnly = new ArrayList<>();
      if (a.hierarchies() != null) {
        generalizationOnly.add("hierarchies");
      }
      if (a.suppressionLimit() != null) {
        generalizationOnly.add("suppressionLimit");
      }
      if (a.metric() != null) {
        generalizationOnly.add("metric");
      }
      if (a.populationSize() != null) {
        generalizationOnly.add("populationSize");
      }
      Checks.check(generalizationOnly.isEmpty(), "spec: anonymize.%s takes quasiIdentifiers and "
          + "one k-anonymity model only; %s %s for generalization", method,
          String.join(", ", generalizationOnly), generalizationOnly.size() == 1 ? "is" : "are");
      Checks.check(a.models() != null && a.models().size() == 1
          && "k-anonymity".equals(a.models().get(0).type()),
          "spec: anonymize.%s needs exactly one model, {type: k-anonymity, k: ...}", method);
      int k = ((PrivacyModel.KAnonymity) model(a.models().get(0))).k(); // checks its options
      String[] qis = a.quasiIdentifiers().toArray(new String[0]);
      return method.equals("mondrian") ? Anonymize.mondrian(k, qis)
          : Anonymize.microaggregation(k, qis);
    }
    Checks.check(method.equals("generalization"), "spec: anonymize.method must be "
        + "generalization, mondrian or mdav but was '%s'", method);
    Checks.check(a.quasiIdentifiers() == null, "spec: anonymize.quasiIdentifiers is for mondrian "
        + "and mdav; generalization takes its quasi-identifiers from hierarchies");
    GeneralizationAnonymizer.Builder b = GeneralizationAnonymizer.builder();
    Checks.check(a.hierarchies() != null && !a.hierarchies().isEmpty(),
        "spec: anonymize.hierarchies needs one hierarchy per quasi-identifier");
    for (Map.Entry<String, PipelineSpec.HierarchySpec> e : a.hierarchies().entrySet()) {
      b.hierarchy(hierarchy(e.getKey(), Checks.notNull(e.getValue(),
          "spec: anonymize.hierarchies." + e.getKey())));
    }
    Checks.check(a.models() != null && !a.models().isEmpty(),
        "spec: anonymize.models needs at least one model, e.g. {type: k-anonymity, k: 10}");
    for (PipelineSpec.ModelSpec m : a.models()) {
      b.model(model(m));
    }
    if (a.suppressionLimit() != null) {
      b.suppressionLimit(a.suppressionLimit());
    }
    if (a.populationSize() != null) {
      b.populationSize(a.populationSize());
    }
    if (a.metric() != null) {
      b.metric(ConsentCommand.enumOf(LossMetric.class, a.metric().replace('-', '_'),
          "spec: anonymize.metric"));
    }
    return b.build();
  }

  private Hierarchy hierarchy(String field, PipelineSpec.HierarchySpec h) throws IOException {
    List<Hierarchy> kinds = new ArrayList<>();
    if (h.intervals() != null) {
      kinds.add(Hierarchy.intervals(field,
          h.intervals().stream().mapToDouble(Double::doubleValue).toArray()));
    }
    if (h.masking() != null) {
      kinds.add(Hierarchy.masking(field, h.masking()));
    }
    if (Boolean.TRUE.equals(h.dates())) {
      kinds.add(Hierarchy.dates(field));
    }
    if (Boolean.TRUE.equals(h.flat())) {
      kinds.add(Hierarchy.flat(field));
    }
    if (h.ordinal() != null) {
      kinds.add(Hierarchy.ordinal(field, h.ordinal(), h.groups() == null ? new int[0]
          : h.groups().stream().mapToInt(Integer::intValue).toArray()));
    }
    if (h.taxonomy() != null) {
      kinds.add(Hierarchy.taxonomy(field, h.taxonomy()));
    }
    if (h.csv() != null) {
      String d = h.delimiter() == null ? ";" : h.delimiter();
      Checks.check(d.length() == 1, "spec: anonymize.hierarchies.%s.delimiter must be one "
          + "character", field);
      kinds.add(Hierarchy.fromCsv(field, resolve(h.csv()), d.charAt(0)));
    }
    Checks.check(kinds.size() == 1, "spec: anonymize.hierarchies.%s must set exactly one of "
        + "intervals, masking, dates, flat, ordinal, taxonomy or csv but set %s", field,
        kinds.size());
    return kinds.get(0);
  }

  private static PrivacyModel model(PipelineSpec.ModelSpec m) {
    String type = Checks.notNull(m.type(), "spec: anonymize.models[].type");
    List<String> options = MODEL_OPTIONS.get(type);
    if (options != null) {
      for (String option : optionsSet(m)) {
        Checks.check(option.equals("type") || options.contains(option),
            "spec: anonymize model %s takes %s, not '%s'", type, String.join(", ", options),
            option);
      }
    }
    switch (type) {
      case "k-anonymity":
        return PrivacyModel.kAnonymity(Checks.notNull(m.k(), "spec: k-anonymity needs k"));
      case "l-diversity": {
        String field = Checks.notNull(m.field(), "spec: l-diversity needs field");
        double l = Checks.notNull(m.l(), "spec: l-diversity needs l");
        String variant = m.variant() == null ? "distinct" : m.variant();
        // Distinct and recursive l count values: l = 2.5 must not quietly become the weaker 2.
        Checks.check(variant.equals("entropy") || l == Math.rint(l),
            "spec: %s l-diversity needs a whole number l but was %s", variant, l);
        Checks.check(m.c() == null || variant.equals("recursive"),
            "spec: only recursive l-diversity takes c, not %s", variant);
        switch (variant) {
          case "distinct":
            return PrivacyModel.distinctLDiversity(field, (int) l);
          case "entropy":
            return PrivacyModel.entropyLDiversity(field, l);
          case "recursive":
            return PrivacyModel.recursiveLDiversity(field,
                Checks.notNull(m.c(), "spec: recursive l-diversity needs c"), (int) l);
          default:
            throw new ConfigurationException("spec: l-diversity variant must be distinct, "
                + "entropy or recursive but was '" + variant + "'");
        }
      }
      case "t-closeness": {
        String field = Checks.notNull(m.field(), "spec: t-closeness needs field");
        double t = Checks.notNull(m.t(), "spec: t-closeness needs t");
        return m.order() == null ? PrivacyModel.tCloseness(field, t)
            : PrivacyModel.tCloseness(field, t, m.order());
      }
      default:
        throw new ConfigurationException("spec: anonymize.models[].type must be k-anonymity, "
            + "l-diversity or t-closeness but was '" + type + "'");
    }
  }

  /**
   * Fails on a segmentation option the chosen algorithm does not use, instead of silently
   * ignoring it: a {@code miniBatch} under {@code gmm} is a mistake the user wants to hear of.
   */
  private static void rejectInapplicable(PipelineSpec.SegmentationSpec seg, String algorithm) {
    for (String option : optionsSet(seg)) {
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

  /** The names of the options (record components) {@code spec} sets, in declaration order. */
  private static List<String> optionsSet(Record spec) {
    List<String> set = new ArrayList<>();
    for (java.lang.reflect.RecordComponent c : spec.getClass().getRecordComponents()) {
      try {
        if (c.getAccessor().invoke(spec) != null) {
          set.add(c.getName());
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read spec option " + c.getName(), e);
      }
    }
    return set;
  }


  private static dev.privseg.core.segment.Segmenter otherSegmenter(String algorithm,
      PipelineSpec.SegmentationSpec seg) {
    if (algorithm.equals("rfm")) {
      PipelineSpec.RfmSpec f = Checks.notNull(seg.rfm(), "spec: segmentation.rfm");
      return dev.privseg.core.segment.rfm.Rfm.scores(
          Checks.notNull(f.recency(), "spec: segmentation.rfm.recency"),
          Checks.notNull(f.frequency(), "spec: segmentation.rfm.frequency"),
          Checks.notNull(f.monetary(), "spec: segmentation.rfm.monetary"))
          .withStandardSegments();
    }
    Checks.check(seg.rules() != null && !seg.rules().isEmpty(),
        "spec: segmentation.rules needs at least one rule");
    dev.privseg.core.segment.rules.RuleSegments rules = null;
    for (PipelineSpec.RuleSpec r : seg.rules()) {
      String name = Checks.notNull(r.name(), "spec: segmentation.rules[].name");
      String when = Checks.notNull(r.when(), "spec: rule '" + name + "' needs 'when'");
      rules = rules == null ? dev.privseg.core.segment.rules.RuleSegments.first(name, when)
          : rules.then(name, when);
    }
    return seg.otherwise() == null ? rules : rules.otherwise(seg.otherwise());
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
      spec.coarsen().forEach((field, rule) -> m.coarsen(field, coarsening(field, rule)));
    }
    if (spec.retain() != null) {
      String period = Checks.notBlank(spec.retain().period(), "spec: minimize.retain.period");
      m.retainFor(Checks.notBlank(spec.retain().field(), "spec: minimize.retain.field"),
          isoPeriod(period, "minimize.retain.period", "P3Y or P18M"));
    }
  }

  private static Coarsening coarsening(String field, PipelineSpec.CoarsenSpec c) {
    List<Coarsening> rules = new ArrayList<>();
    if (c.width() != null) {
      rules.add(Coarsen.bands(c.width()));
    }
    if (c.edges() != null) {
      rules.add(Coarsen.bands(c.edges().stream().mapToDouble(Double::doubleValue).toArray()));
    }
    if (c.prefix() != null) {
      rules.add(Coarsen.prefix(c.prefix()));
    }
    if (Boolean.TRUE.equals(c.toMonth())) {
      rules.add(Coarsen.toMonth());
    }
    if (Boolean.TRUE.equals(c.toYear())) {
      rules.add(Coarsen.toYear());
    }
    if (c.topCode() != null) {
      rules.add(Coarsen.topCode(c.topCode()));
    }
    if (c.bottomCode() != null) {
      rules.add(Coarsen.bottomCode(c.bottomCode()));
    }
    Checks.check(rules.size() == 1, "spec: minimize.coarsen.%s must set exactly one rule "
        + "(width, edges, prefix, toMonth, toYear, topCode, bottomCode) but set %s", field,
        rules.size());
    return rules.get(0);
  }

  private LawfulBasisGate ledgerGate(PipelineSpec.LedgerSpec l, Purpose purpose) {
    Checks.check((l.db() == null) != (l.jdbc() == null),
        "spec: lawfulBasis.ledger needs exactly one of db or jdbc");
    LedgerOptions options = new LedgerOptions();
    options.db = l.db() == null ? null : resolve(l.db());
    options.jdbc = l.jdbc();
    options.keyEnv = l.keyEnv() == null ? "PRIVSEG_KEY" : l.keyEnv();
    consentDb = options.open(environment);
    ledger = consentDb.ledger(options.keyer(environment));
    ConsentPolicy.Builder policy = ConsentPolicy.forPurpose(purpose)
        .directMarketing(Boolean.TRUE.equals(l.directMarketing()))
        .optOutOfSaleOrSharingExcludes(!Boolean.FALSE.equals(l.optOutExcludes()));
    if (l.consentExpiryMonths() != null) {
      policy.consentExpiresAfter(java.time.Period.ofMonths(l.consentExpiryMonths()));
    }
    if (l.keepRunsFor() != null) {
      keepRunsFor = positivePeriod(l.keepRunsFor(), "lawfulBasis.ledger.keepRunsFor");
    }
    return ConsentGate.of(ledger, List.of(policy.build()));
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
  java.util.Optional<String> registerMemberships(dev.privseg.core.pipeline.SegmentationRun run) {
    if (consentDb == null) {
      return java.util.Optional.empty();
    }
    var r = run.report();
    consentDb.memberships().register(run, "segments made by " + r.segmentation().algorithm()
        + " from the fields " + r.fields().used() + " for the purpose '" + r.purpose().id()
        + "' (" + r.purpose().description() + ")");
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

  @Override
  public void close() {
    if (consentDb != null) {
      consentDb.close();
    }
  }

  private Pseudonymizer pseudonymizer(PipelineSpec.KeySpec k) {
    if (Boolean.TRUE.equals(k.directory())) {
      Checks.check(ledger != null,
          "spec: pseudonymize.key.directory needs lawfulBasis.ledger");
      return DirectoryPseudonymizer.of(ledger);
    }
    return Pseudonymizer.hmacSha256(keys(k));
  }

  private KeyProvider keys(PipelineSpec.KeySpec k) {
    int sources = (k.env() != null ? 1 : 0) + (k.keystore() != null ? 1 : 0)
        + (Boolean.TRUE.equals(k.ephemeral()) ? 1 : 0);
    Checks.check(sources == 1, "spec: pseudonymize.key must set exactly one of env, keystore, "
        + "ephemeral or directory");
    if (k.env() != null) {
      return KeyProvider.fromEnvironment(k.env(), environment);
    }
    if (k.keystore() != null) {
      String passwordEnv = Checks.notNull(k.passwordEnv(), "spec: pseudonymize.key.passwordEnv");
      String password = environment.get(passwordEnv);
      Checks.check(password != null, "environment variable %s (key store password) is not set",
          passwordEnv);
      return KeyProvider.fromKeyStore(resolve(k.keystore()), password.toCharArray(),
          Checks.notNull(k.alias(), "spec: pseudonymize.key.alias"));
    }
    return KeyProvider.ephemeral();
  }

  private Path resolve(String path) {
    return base.resolve(path).normalize();
  }
}
