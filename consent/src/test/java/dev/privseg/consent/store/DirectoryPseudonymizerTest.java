package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.directory.SubjectDirectory;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.store.jdbc.JdbcSubjectDirectory;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.Pseudonym;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run that asks a database directory for most of its subjects gets a pseudonymizer that read
 * the directory once; it must give exactly what asking chunk by chunk gives.
 */
class DirectoryPseudonymizerTest {

  static List<SubjectId> subjects(String prefix, int n) {
    List<SubjectId> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(SubjectId.of(prefix + i));
    }
    return out;
  }

  static void loadedRunGivesWhatChunksGive(SubjectDirectory directory) {
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
        directory);
    DirectoryPseudonymizer chunked = DirectoryPseudonymizer.of(ledger);
    List<SubjectId> held = subjects("held-", 20_000);
    List<Pseudonym> before = chunked.pseudonymizeAll(held);
    ledger.erase(SubjectId.of("held-17"), Instant.parse("2026-01-01T00:00:00Z"), "dpo");

    assertThat(chunked.forRun(100)).as("a small run asks chunk by chunk")
        .hasToString("DirectoryPseudonymizer session[chunked]");
    assertThat(chunked.forRun(4_096)).as("so does one of less than a quarter of the directory")
        .hasToString("DirectoryPseudonymizer session[chunked]");
    dev.privseg.core.pseudonymize.PseudonymSession loaded = chunked.forRun(5_000);
    assertThat(loaded).hasToString("DirectoryPseudonymizer session[loaded]");

    List<SubjectId> run = new ArrayList<>(held.subList(0, 17));
    run.addAll(held.subList(18, 20_000));
    run.addAll(subjects("new-", 300));
    run.add(SubjectId.of("new-5")); // twice
    List<Pseudonym> got = loaded.pseudonymizeAll(run);

    assertThat(got.subList(0, 17)).isEqualTo(before.subList(0, 17));
    assertThat(got.subList(17, 19_999)).isEqualTo(before.subList(18, 20_000));
    assertThat(got.subList(19_999, 20_299))
        .as("new subjects are created, and stored as the chunked path would find them")
        .isEqualTo(chunked.pseudonymizeAll(subjects("new-", 300)));
    assertThat(got.get(20_299)).isEqualTo(got.get(19_999 + 5));
    assertThatThrownBy(() -> loaded.pseudonymizeAll(List.of(SubjectId.of("held-3"),
        SubjectId.of("held-17"))))
        .isInstanceOf(ConsentException.class)
        .hasMessage("subject 1 of the list was erased: it has no pseudonym");
  }

  @Test
  void inH2() throws Exception {
    try (JdbcSubjectDirectory directory = JdbcSubjectDirectory.h2(
        Files.createTempDirectory("privseg-loaded-h2"))) {
      loadedRunGivesWhatChunksGive(directory);
    }
  }

  @Test
  void inPostgres() {
    try (JdbcSubjectDirectory directory = JdbcSubjectDirectory.open(
        Databases.freshPostgresSchema(), "PostgreSQL test schema")) {
      loadedRunGivesWhatChunksGive(directory);
    }
  }
}
