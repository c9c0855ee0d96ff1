package dev.privseg.examples;

import dev.privseg.anonymization.Anonymize;
import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.anonymization.search.GeneralizationResult;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.io.CsvWriter;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runnable example: optimal k-anonymity with 2-diversity of occupation on the Adult benchmark
 * with ARX's hierarchies, outside a pipeline. Writes the anonymized microdata, the chosen scheme
 * and prints what the search achieved.
 *
 * <pre>
 * java -cp examples/target/privseg-cli.jar dev.privseg.examples.AnonymizeAdult \
 *     ../shared/data/arx-adult 5 target/adult
 * </pre>
 */
public final class AnonymizeAdult {
  static final List<String> QUASI_IDENTIFIERS = List.of("sex", "age", "race", "marital-status",
      "education", "native-country", "workclass", "salary-class");

  private AnonymizeAdult() {}

  /** Arguments: the arx-adult folder, k, and an output folder. */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: AnonymizeAdult ARX_ADULT_DIR K OUT_DIR");
      System.exit(2);
    }
    run(Path.of(args[0]), Integer.parseInt(args[1]), Path.of(args[2]), System.out);
  }

  /** Anonymizes {@code dir}/adult.csv with k and writes microdata.csv and scheme.json. */
  public static GeneralizationResult run(Path dir, int k, Path out, PrintStream log)
      throws IOException {
    Schema.Builder schema = Schema.builder();
    for (String q : QUASI_IDENTIFIERS) {
      schema.field(q, FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER);
    }
    schema.field("occupation", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE);
    Dataset adult = CsvReader.builder().delimiter(';').build()
        .read(dir.resolve("adult.csv"), schema.build());

    GeneralizationAnonymizer anonymizer = Anonymize.generalization(a -> {
      for (String q : QUASI_IDENTIFIERS) {
        try {
          a.hierarchy(Hierarchy.fromCsv(q, dir.resolve("adult_hierarchy_" + q + ".csv"), ';'));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      a.kAnonymity(k).lDiversity("occupation", 2).suppressionLimit(0.01);
    });
    GeneralizationResult result = anonymizer.apply(adult);

    Files.createDirectories(out);
    CsvWriter.write(result.anonymized().data(), out.resolve("microdata.csv"));
    result.scheme().write(out.resolve("scheme.json"));
    log.println("rows:        " + adult.rowCount() + " in, " + result.suppressedRows()
        + " suppressed");
    log.println("levels:      " + result.levels());
    log.println("achieved:    " + result.summary().get("achieved"));
    log.println("loss:        " + result.informationLoss() + " (" + result.summary().get("metric")
        + ")");
    log.println("risk before: " + result.summary().get("riskBefore"));
    log.println("risk after:  " + result.summary().get("riskAfter"));
    log.println("guarantees:  " + result.anonymized().guarantees());
    log.println("wrote:       " + out.resolve("microdata.csv") + ", " + out.resolve("scheme.json"));
    return result;
  }
}
