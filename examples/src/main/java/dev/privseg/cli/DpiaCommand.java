package dev.privseg.cli;

import dev.privseg.consent.DpiaEvidence;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code privseg dpia PURPOSE --config register.yaml}: the evidence a DPIA of the purpose draws
 * on, as JSON: its processing activity, each run's risk before and after, the guarantees, and
 * how requests were served. Read only.
 */
@Command(name = "dpia", mixinStandardHelpOptions = true, description = "Print, as JSON, the "
    + "evidence for a data protection impact assessment of a purpose: its processing activity "
    + "(as 'ropa' states it), each run's re-identification risk before and after, the "
    + "guarantees stated, and how subject requests were served.")
final class DpiaCommand extends OnConsentDatabase {
  @Parameters(index = "0", paramLabel = "PURPOSE", description = "The purpose's id.")
  String purpose;

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "The register's YAML, as 'privseg ropa' reads it.")
  Path config;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write the evidence as a "
      + "self-contained HTML page.")
  Path html;

  @Override
  public Integer call() {
    requireWritable(html, "--html");
    var register = RopaCommand.register(RopaCommand.read(config));
    try (ConsentDatabase db = ledgerOptions.openExisting(root.environment)) {
      DpiaEvidence evidence = register.dpia(purpose, db.memberships(), db.requestLog(),
          Instant.now());
      writePage(html, file -> dev.privseg.pages.ProcessingRecordsPage.write(evidence, file));
      spec.commandLine().getOut().println(evidence.toJson());
      return 0;
    }
  }
}
