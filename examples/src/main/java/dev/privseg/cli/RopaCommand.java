package dev.privseg.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.privseg.consent.ProcessingRegister;
import dev.privseg.consent.RecordsOfProcessing;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.ConfigurationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code privseg ropa --config register.yaml}: the records of processing activities (GDPR Art.
 * 30(1)) generated from the runs registered in the consent database, with what no run can know
 * (controller, DPO, subjects, recipients, transfers) from a small YAML file. Read only.
 */
@Command(name = "ropa", mixinStandardHelpOptions = true, description = "Print the records of "
    + "processing activities (GDPR Art. 30) generated from the registered runs: per purpose, "
    + "the data used and minimised, retention, the measures the runs applied and the runs as "
    + "evidence, with the controller, DPO, subjects, recipients and transfers from --config.")
final class RopaCommand extends OnConsentDatabase {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML: "
      + "controller {name, contact}, dpo {contact}, keepRunsFor (e.g. P90D), purposes {ID: "
      + "{subjects: [...], recipients: [...], transfers: [...]}}.")
  Path config;

  @Option(names = "--json", description = "Print the records as JSON.")
  boolean json;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write the records as a "
      + "self-contained HTML page.")
  Path html;

  /** The configuration file. */
  record Config(Party controller, Party dpo, String keepRunsFor,
      Map<String, PurposeConfig> purposes) {}

  /** A party and how to reach it. */
  record Party(String name, String contact) {}

  /** What is configured of a purpose. */
  record PurposeConfig(List<String> subjects, List<String> recipients, List<String> transfers) {}

  @Override
  public Integer call() {
    requireWritable(html, "--html");
    ProcessingRegister register = register(read(config));
    try (ConsentDatabase db = ledgerOptions.openExisting(root.environment)) {
      RecordsOfProcessing records = register.generate(db.memberships(), Instant.now());
      writePage(html, file -> dev.privseg.pages.ProcessingRecordsPage.write(records, file));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(records.toJson());
      } else {
        print(out, records);
      }
      return 0;
    }
  }

  static Config read(Path file) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("register configuration " + file + " does not exist", e);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try {
      Config c = yaml.readValue(text, Config.class);
      if (c == null || c.controller() == null) {
        throw new ConfigurationException("register configuration " + file + " needs "
            + "controller: {name, contact}");
      }
      return c;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigurationException("register configuration " + file + ": unknown option '"
          + e.getPropertyName() + "'; it takes " + e.getKnownPropertyIds().stream()
              .map(Object::toString).sorted().toList());
    } catch (JsonMappingException e) {
      throw new ConfigurationException("register configuration " + file + " is not valid"
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
    } catch (IOException e) {
      throw new ConfigurationException("register configuration " + file + " is not YAML");
    }
  }

  static ProcessingRegister register(Config c) {
    ProcessingRegister.Builder b = ProcessingRegister.controller(
        nonNull(c.controller().name(), "controller.name"),
        nonNull(c.controller().contact(), "controller.contact"));
    if (c.dpo() != null) {
      b.dpo(nonNull(c.dpo().contact(), "dpo.contact"));
    }
    if (c.keepRunsFor() != null) {
      try {
        b.keepRunsFor(Period.parse(c.keepRunsFor()));
      } catch (DateTimeParseException e) {
        throw new ConfigurationException("keepRunsFor must be an ISO-8601 period such as P90D");
      }
    }
    if (c.purposes() != null) {
      c.purposes().forEach((id, p) -> b.purpose(id,
          p == null || p.subjects() == null ? List.of() : p.subjects(),
          p == null || p.recipients() == null ? List.of() : p.recipients(),
          p == null || p.transfers() == null ? List.of() : p.transfers()));
    }
    return b.build();
  }

  private static String nonNull(String value, String option) {
    if (value == null || value.isBlank()) {
      throw new ConfigurationException("register configuration: " + option + " is required");
    }
    return value;
  }

  private static void print(PrintWriter out, RecordsOfProcessing r) {
    out.printf(Locale.ROOT, "Records of processing activities (GDPR Art. 30(1)), %s%n",
        r.generatedAt());
    out.printf(Locale.ROOT, "controller: %s, %s%n", r.controller(), r.controllerContact());
    out.printf(Locale.ROOT, "DPO:        %s%n", r.dpoContact().isEmpty() ? "(none designated)"
        : r.dpoContact());
    for (RecordsOfProcessing.Activity a : r.activities()) {
      out.println();
      out.printf(Locale.ROOT, "purpose:    %s%s%n", a.purpose(), a.description().isEmpty()
          ? "" : " (" + a.description() + ")");
      out.printf(Locale.ROOT, "  lawful basis:       %s%n", a.lawfulBasis().isEmpty()
          ? "(no run registered)" : a.lawfulBasis());
      out.printf(Locale.ROOT, "  data subjects:      %s%n", list(a.subjectCategories()));
      out.printf(Locale.ROOT, "  data used:          %s%n", list(a.dataCategories()));
      out.printf(Locale.ROOT, "  special categories: %s%n", list(a.specialCategories()));
      out.printf(Locale.ROOT, "  data minimised:     %s%n", list(a.dataMinimised()));
      out.printf(Locale.ROOT, "  recipients:         %s%n", list(a.recipients()));
      out.printf(Locale.ROOT, "  transfers:          %s%n", list(a.transfers()));
      out.printf(Locale.ROOT, "  retention:          %s%n", list(a.retention()));
      out.println("  measures:");
      a.measures().forEach(m -> out.println("    - " + m));
      out.printf(Locale.ROOT, "  runs (evidence):    %d%n", a.runs().size());
      for (RecordsOfProcessing.RunEvidence e : a.runs()) {
        out.printf(Locale.ROOT, "    %s  registered %s  %s  record %s%n", e.runId(),
            e.registeredAt().isEmpty() ? "(time unknown)" : e.registeredAt(),
            e.processedRows() < 0 ? "(record not kept)" : String.format(Locale.ROOT,
                "%,d of %,d rows processed", e.processedRows(), e.inputRows()),
            e.recordDigest().isEmpty() ? "(no digest)" : e.recordDigest());
      }
    }
  }

  private static String list(List<String> items) {
    return items.isEmpty() ? "none" : String.join("; ", items);
  }
}
