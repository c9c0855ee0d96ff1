package dev.privseg.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ledger.ConsentLedger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture endpoints' rate limit, per caller, and the access log: it records every request
 * and no personal value, since no subject id is ever in a URL.
 */
class ServiceLimitsTest {

  @Test
  void capturesPastACallersLimitAreRefusedWith429AndNothingOfThemIsRecorded(@TempDir Path dir)
      throws Exception {
    ServiceHttpContract.customers(dir);
    try (RunningService service = RunningService.start(dir,
        "jdbc:h2:file:" + dir.resolve("crm") + ";WRITE_DELAY=0",
        "privseg.service.captures-per-second=5",
        "server.tomcat.basedir=" + dir, "server.tomcat.accesslog.enabled=true",
        "server.tomcat.accesslog.buffered=false")) {
      String busy = service.token("crm-web", "CAPTURE");
      List<Integer> statuses = new ArrayList<>();
      List<HttpResponse<String>> refused = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        HttpResponse<String> r = service.call("POST", "/api/v1/consents", busy,
            ServiceHttpContract.consent("C-limit-" + i, "CONSENT_GIVEN"));
        statuses.add(r.statusCode());
        if (r.statusCode() == 429) {
          refused.add(r);
        }
      }
      assertThat(statuses).containsOnly(201, 429).contains(429);
      assertThat(refused.get(0).headers().firstValue("Retry-After")).hasValue("1");
      assertThat(refused.get(0).body()).contains("too many captures from this caller")
          .doesNotContain("C-limit-");
      // Another caller has a limit of its own.
      assertThat(service.call("POST", "/api/v1/consents", service.token("app-ios", "CAPTURE"),
          ServiceHttpContract.consent("C-other", "CONSENT_GIVEN")).statusCode()).isEqualTo(201);
      long created = statuses.stream().filter(s -> s == 201).count();
      assertThat(service.bean(ConsentLedger.class).size()).isEqualTo(created + 1);

      service.call("GET", "/api/v1/me/export", service.token("C-limit-0", "SUBJECT"), null);
      service.call("POST", "/api/v1/subjects/export", service.token("dpo", "DPO"),
          "{\"subject\":\"C-limit-1\"}");
    }
    List<String> log;
    try (Stream<Path> files = Files.walk(dir.resolve("logs"))) {
      log = files.filter(Files::isRegularFile).flatMap(f -> {
        try {
          return Files.readAllLines(f).stream();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertThat(log).hasSizeGreaterThanOrEqualTo(15)
        .anySatisfy(line -> assertThat(line).contains("/api/v1/me/export"))
        .allSatisfy(line -> assertThat(line).doesNotContain("C-limit", "C-other"));
  }
}
