package dev.privseg.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The consent database goes away under load and comes back: callers get a 503 problem with
 * {@code Retry-After} while it is away, never a 500; every capture acknowledged is in the
 * ledger, no batch is half-written (the chain is intact), and the service records again once
 * the database is back, without a restart. The database's connections are cut on loopback
 * (every one dropped, new ones refused), as a restart does.
 */
class ServiceFaultTest {

  record Outcome(long at, int status, HttpResponse<String> response) {}

  /** What happens to the database mid-load: called three seconds in, returns once it is back. */
  @FunctionalInterface
  interface Fault {
    void strike(LoopbackProxy proxy) throws Exception;
  }

  @Test
  void capturesFailClearlyWhileThePostgresqlDatabaseIsAwayAndResumeWhenItIsBack(
      @TempDir Path dir) throws Exception {
    underLoad(dir, proxy -> {
      proxy.cut();
      Thread.sleep(2_500);
      proxy.restore();
    });
  }

  /**
   * The PostgreSQL server itself restarted mid-load (pg_ctl restart, fast: its sessions
   * terminated, connections refused until it is up): the same outcome.
   */
  @Test
  void capturesFailClearlyWhilePostgresqlRestartsAndResumeAfter(@TempDir Path dir)
      throws Exception {
    String pgCtl = System.getenv("PRIVSEG_PG_CTL");
    String data = System.getenv("PRIVSEG_PG_DATA");
    if (pgCtl == null || data == null) {
      if (System.getenv("CI") != null) {
        org.junit.jupiter.api.Assertions.fail("PRIVSEG_PG_CTL and PRIVSEG_PG_DATA are not set "
            + "under CI: .ci/postgres.sh exports them");
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(false,
          "SKIPPED: restarting PostgreSQL needs the server of .ci/postgres.sh");
    }
    underLoad(dir, proxy -> {
      // The server's own log goes to its log file: a pipe of ours would outlive the test.
      Path log = Path.of(data).resolveSibling("server.log");
      Path out = dir.resolve("pg_ctl.out");
      Process restart = new ProcessBuilder("runuser", "-u", "postgres", "--", pgCtl, "-D", data,
          "-l", log.toString(), "-m", "fast", "-w", "restart")
          .directory(new java.io.File("/")).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      assertThat(restart.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
          .as("pg_ctl restart finished").isTrue();
      assertThat(restart.exitValue()).as("pg_ctl restart: %s", Files.readString(out)).isZero();
    });
  }

  private static void underLoad(Path dir, Fault fault) throws Exception {
    String url = ServiceOnPostgresTest.freshSchema();
    URI server = URI.create(url.substring("jdbc:".length()));
    ServiceHttpContract.customers(dir);
    List<Outcome> outcomes = new ArrayList<>();
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    long cutAt;
    long restoredAt;
    try (LoopbackProxy proxy = new LoopbackProxy(server.getPort())) {
      String viaProxy = url.replace(":" + server.getPort() + "/", ":" + proxy.port() + "/")
          + "&socketTimeout=10&connectTimeout=2";
      try (RunningService service = RunningService.start(dir, viaProxy,
          "spring.datasource.hikari.connection-timeout=1000",
          "spring.datasource.hikari.validation-timeout=500",
          "privseg.service.captures-per-second=100000")) {
        ConcurrentLinkedQueue<Outcome> all = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long end = start + 9_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
          String token = service.token("fault-client-" + c, "CAPTURE");
          int client = c;
          Thread t = new Thread(() -> {
            int i = 0;
            while (System.nanoTime() < end) {
              try {
                HttpResponse<String> r = service.call("POST", "/api/v1/consents", token,
                    ServiceHttpContract.consent("F" + client + "-" + i++, "CONSENT_GIVEN"));
                all.add(new Outcome(System.nanoTime() - start, r.statusCode(), r));
                if (r.statusCode() == 201) {
                  ServiceHttpContract.json(r).get("sequences")
                      .forEach(s -> acknowledged.add(s.asLong()));
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          });
          t.start();
          clients.add(t);
        }
        Thread.sleep(3_000);
        cutAt = System.nanoTime() - start;
        fault.strike(proxy);
        restoredAt = System.nanoTime() - start;
        for (Thread t : clients) {
          t.join();
        }
        outcomes.addAll(all);
      }
    }

    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.response().body())
        .isIn(201, 503));
    List<Outcome> refused = outcomes.stream().filter(o -> o.status() == 503).toList();
    assertThat(refused).as("captures refused while the database was away").isNotEmpty();
    assertThat(restoredAt + 2_000_000_000L).as("the load ran on after the database was back")
        .isLessThan(9_000_000_000L);
    for (Outcome o : refused) {
      JsonNode problem = ServiceHttpContract.json(o.response());
      assertThat(problem.get("type").asText()).endsWith("/database-unavailable");
      assertThat(o.response().headers().firstValue("Retry-After")).hasValue("1");
    }
    assertThat(outcomes).as("captures recorded before the cut").anyMatch(
        o -> o.status() == 201 && o.at() < cutAt);
    assertThat(outcomes).as("captures recorded after the database is back, without a restart")
        .anyMatch(o -> o.status() == 201 && o.at() > restoredAt + 2_000_000_000L);

    PGSimpleDataSource direct = new PGSimpleDataSource();
    direct.setURL(url);
    Set<Long> recorded = new TreeSet<>();
    try (Connection c = direct.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT seq FROM privseg_consent_event")) {
      while (rs.next()) {
        recorded.add(rs.getLong(1));
      }
    }
    assertThat(recorded).as("no acknowledged capture lost").containsAll(acknowledged);
    assertThat(recorded.size() - acknowledged.size()).as("recorded but not acknowledged: only "
        + "captures whose commit's answer the cut lost").isLessThanOrEqualTo(refused.size());
    try (ConsentDatabase db = ConsentDatabase.openExisting(direct, "fault test database")) {
      assertThat(ConsentLedger.verify(db.store()).intact()).as("no batch half-written").isTrue();
      assertThat(ConsentLedger.verify(db.store()).eventsChecked()).isEqualTo(recorded.size());
    }
  }
}
