package dev.privseg.service;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * The capture load test: the service on loopback against a database, {@code clients} callers
 * each sending consent captures one after another for {@code seconds} (after a warm-up of a
 * fifth of that), then the count of events acknowledged against the ledger's and the chain
 * verified. Loopback only, bounded in time. Not a unit test: run it as benchmarks/README.md says.
 *
 * <pre>
 * java -cp ... dev.privseg.service.CaptureLoad JDBC_URL [clients] [seconds]
 * </pre>
 */
public final class CaptureLoad {
  private CaptureLoad() {}

  /** Runs the load test and prints its figures. */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 && !args[0].isBlank() ? args[0]
        : ServiceOnPostgresTest.freshSchema();
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int seconds = Math.min(args.length > 2 ? Integer.parseInt(args[2]) : 60, 120);
    Path dir = Files.createTempDirectory("privseg-load");
    ServiceHttpContract.customers(dir);
    try (RunningService service = RunningService.start(dir, url,
        "privseg.service.captures-per-second=100000",
        "spring.datasource.hikari.maximum-pool-size=16")) {
      ConsentLedger ledger = service.bean(ConsentLedger.class);
      long before = ledger.size();
      Result warm = drive(service, clients, Math.max(5, seconds / 5));
      Result run = drive(service, clients, seconds);
      long recorded = ledger.size() - before;
      Verification v = ledger.verify();
      long[] all = run.latencies();
      System.out.printf(Locale.ROOT, "%d clients, %d s on %s (after a %d-capture warm-up)%n",
          clients, seconds, url.startsWith("jdbc:postgresql") ? "PostgreSQL" : "H2",
          warm.ok());
      System.out.printf(Locale.ROOT, "captures acknowledged: %,d (%,.0f/s); refused: %,d%n",
          run.ok(), run.ok() / (double) seconds, run.failed());
      System.out.printf(Locale.ROOT, "latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          percentile(all, 0.50), percentile(all, 0.99), all[all.length - 1] / 1e6);
      long acknowledged = warm.ok() + run.ok();
      System.out.printf(Locale.ROOT, "ledger: %,d events recorded, %,d acknowledged, lost %d; "
          + "chain %s (%,d events checked)%n", recorded, acknowledged,
          Math.max(0, acknowledged - recorded), v.intact() ? "intact" : "BROKEN: " + v.problem(),
          v.eventsChecked());
    }
  }

  record Result(long ok, long failed, long[] latencies) {}

  static Result drive(RunningService service, int clients, int seconds) throws Exception {
    PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnTotal(clients).setMaxConnPerRoute(clients).build();
    try (CloseableHttpClient http = HttpClients.custom().setConnectionManager(pool).build()) {
      return drive(service, http, clients, seconds);
    }
  }

  private static Result drive(RunningService service, CloseableHttpClient http, int clients,
      int seconds) throws Exception {
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<long[]> samples = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long[] latencies = new long[400_000];
      int[] n = {0};
      samples.add(latencies);
      counts.add(n);
      String token = service.token("load-client-" + c, "CAPTURE");
      Thread t = new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            String subject = "L" + ThreadLocalRandom.current().nextInt(1_000_000);
            HttpPost post = new HttpPost(service.base + "/api/v1/consents");
            post.setHeader("Authorization", "Bearer " + token);
            post.setEntity(new StringEntity(ServiceHttpContract.consent(subject,
                "CONSENT_GIVEN"), ContentType.APPLICATION_JSON));
            long t0 = System.nanoTime();
            int status = http.execute(post, response -> {
              EntityUtils.consume(response.getEntity());
              return response.getCode();
            });
            long took = System.nanoTime() - t0;
            if (status == 201) {
              ok.incrementAndGet();
              if (n[0] < latencies.length) {
                latencies[n[0]++] = took;
              }
            } else {
              failed.incrementAndGet();
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    long[] all = new long[counts.stream().mapToInt(n -> n[0]).sum()];
    int at = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(samples.get(c), 0, all, at, counts.get(c)[0]);
      at += counts.get(c)[0];
    }
    Arrays.sort(all);
    return new Result(ok.get(), failed.get(), all);
  }

  static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN
        : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
