package dev.privseg.consent.store;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.JdbcLedgerStore;
import dev.privseg.core.Purposes;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A child process for {@link CrashSafetyTest}: appends batches of {@value #BATCH} events, each
 * batch tagged in its proof reference, forever, printing the number of each committed batch. The
 * parent kills it with {@code destroyForcibly} at an arbitrary moment.
 */
public final class CrashingAppender {
  static final int BATCH = 400;

  private CrashingAppender() {}

  /** {@code h2 DIR} or {@code postgres URL SCHEMA}. */
  public static void main(String[] args) {
    LedgerStore store;
    if (args[0].equals("h2")) {
      store = JdbcLedgerStore.h2(Path.of(args[1]));
    } else {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setURL(args[1]);
      ds.setCurrentSchema(args[2]);
      ds.setReWriteBatchedInserts(true);
      store = JdbcLedgerStore.open(ds, "PostgreSQL crash test");
    }
    ConsentLedger ledger = ConsentLedger.open(store,
        SubjectKeyer.from(KeyProvider.ephemeral()));
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (long batch = 1; ; batch++) {
      List<EventDraft> drafts = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        drafts.add(new EventDraft(new SubjectKey(batch, i), Purposes.MARKETING_SEGMENTATION.id(),
            EventType.CONSENT_GIVEN, t, EventSource.IMPORT, "", "crash-test", "batch-" + batch));
      }
      ledger.appendAll(drafts);
      System.out.println("committed " + batch);
      System.out.flush();
    }
  }
}
