package dev.privseg.anonymization.search;

import dev.privseg.anonymization.internal.SchemeJson;
import dev.privseg.core.Checks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transformation chosen by a search, saved so that later batches of the same schema are
 * generalized the same way without a new search: the hierarchies (by description), the level of
 * each quasi-identifier, the models and the suppression limit. Re-applying it
 * ({@link GeneralizationAnonymizer#withScheme}) re-checks every model on the new batch and fails,
 * naming the criterion, if the batch breaks it. Holds names and parameters only, no data.
 *
 * @param format the scheme format, {@value #FORMAT}
 * @param method the transformation method
 * @param hierarchies each quasi-identifier's hierarchy, as {@code Hierarchy.toString()} describes it
 * @param levels the level of each quasi-identifier
 * @param models the models' criteria
 * @param suppressionLimit the largest share of rows that may be suppressed
 * @param metric the loss metric the search minimized
 */
public record TransformationScheme(String format, String method, Map<String, String> hierarchies,
    Map<String, Integer> levels, List<String> models, double suppressionLimit, String metric) {

  /** The format identifier written into every scheme. */
  public static final String FORMAT = "privseg-generalization-scheme/1";

  /** Checks the format and copies the collections. */
  public TransformationScheme {
    Checks.check(FORMAT.equals(format), "scheme format must be '%s' but was '%s'", FORMAT,
        format);
    hierarchies = Collections.unmodifiableMap(new LinkedHashMap<>(hierarchies));
    levels = Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    models = List.copyOf(models);
  }

  /** This scheme as JSON. */
  public String toJson() {
    return SchemeJson.toJson(this);
  }

  /** Writes this scheme as JSON to {@code file}. */
  public void write(Path file) throws IOException {
    SchemeJson.write(this, file);
  }

  /** Reads a scheme from its JSON form. */
  public static TransformationScheme fromJson(String json) {
    return SchemeJson.fromJson(json, TransformationScheme.class, "privseg generalization scheme");
  }

  /** Reads a scheme from {@code file}. */
  public static TransformationScheme read(Path file) throws IOException {
    return fromJson(Files.readString(file, StandardCharsets.UTF_8));
  }
}
