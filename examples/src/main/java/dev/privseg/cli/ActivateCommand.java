package dev.privseg.cli;

import dev.privseg.consent.Activation;
import dev.privseg.consent.Activations;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code privseg activate RUN_ID --channel CHANNEL --out FILE}: before a registered run's
 * segments go to a channel, keeps only the members whose lawful basis for the run's purpose
 * holds now, writes them (pseudonym, segment), and records the activation.
 */
@Command(name = "activate", mixinStandardHelpOptions = true, description = "Write the members "
    + "of a registered run whose lawful basis holds now (pseudonym and segment), for a channel, "
    + "and record the activation; members who withdrew, objected, opted out, were restricted "
    + "or erased since the run are left out and counted.")
final class ActivateCommand extends OnConsentDatabase {
  @Mixin
  PurposeOptions purposes;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run, as its record names "
      + "it.")
  String runId;

  @Option(names = "--channel", required = true, description = "Where the members go, e.g. "
      + "email, ads or call-centre.")
  String channel;

  @Option(names = "--out", required = true, description = "The CSV file of allowed members to "
      + "write; written whole or not at all.")
  Path out;

  @Option(names = "--actor", defaultValue = "privseg-cli",
      description = "Who activates, for the record (default: ${DEFAULT-VALUE}).")
  String actor;

  @Override
  public Integer call() throws IOException {
    Map<String, String> env = root.environment;
    Path parent = out.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--out must be a file in an existing directory");
    }
    Path partial = Files.createTempFile(parent, ".privseg-activation", ".csv");
    try (ConsentDatabase db = ledgerOptions.openExisting(env)) {
      Activation a;
      try (Writer w = Files.newBufferedWriter(partial);
          CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
              .setHeader("pseudonym", "segment").get())) {
        a = new Activations(db.ledger(ledgerOptions.keyer(env)), purposes.policies(),
            db.memberships(), db.activations()).activate(runId, channel, Instant.now(), actor,
                (pseudonym, segment) -> {
                  try {
                    csv.printRecord(pseudonym, segment);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      // Only a complete file takes the name: a failure leaves no partial list behind.
      Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      spec.commandLine().getOut().printf(Locale.ROOT, "activated run %s for %s: %,d of %,d "
          + "members allowed (purpose %s)%s; wrote %s; activation %s%n", a.runId(),
          a.channel(), a.allowed(), a.members(), a.purpose(),
          a.excluded().isEmpty() ? "" : ", left out " + a.excluded(), out, a.activationId());
    } finally {
      Files.deleteIfExists(partial);
    }
    return 0;
  }
}
