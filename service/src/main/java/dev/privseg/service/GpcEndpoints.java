package dev.privseg.service;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.SubjectId;
import dev.privseg.signals.PrivacySignals;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Global Privacy Control: {@code /.well-known/gpc.json} says the service honours it, and a
 * request of an identified subject ({@code /api/v1/me/**}) carrying {@code Sec-GPC: 1} records
 * the subject's opt-out of sale and sharing, once: purposes it has already opted out of get no
 * further event. The opt-out is recorded before the request is handled; a malformed header
 * value is refused with 400.
 */
@RestController
class GpcEndpoints {
  private final LocalDate since;

  GpcEndpoints(Clock clock) {
    this.since = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** The GPC support resource (GPC specification, section 3.5). */
  @GetMapping(value = "/.well-known/gpc.json", produces = "application/json")
  Map<String, Object> gpc() {
    return Map.of("gpc", true, "lastUpdate", since.toString());
  }

  /** Records {@code Sec-GPC: 1} of an identified subject; runs after authentication. */
  static final class Filter extends OncePerRequestFilter {
    private final ConsentLedger ledger;
    private final PrivacySignals signals;
    private final Clock clock;
    private final HandlerExceptionResolver problems;

    Filter(ConsentLedger ledger, PrivacySignals signals, Clock clock,
        HandlerExceptionResolver problems) {
      this.ledger = ledger;
      this.signals = signals;
      this.clock = clock;
      this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
      return request.getHeader("Sec-GPC") == null
          || !request.getRequestURI().startsWith("/api/v1/me/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
        FilterChain chain) throws ServletException, IOException {
      Authentication who = SecurityContextHolder.getContext().getAuthentication();
      if (who != null && who.isAuthenticated() && !(who instanceof AnonymousAuthenticationToken)
          && who.getAuthorities().stream()
              .anyMatch(a -> a.getAuthority().equals("ROLE_" + Roles.SUBJECT))) {
        try {
          Instant at = clock.instant();
          SubjectKey key = ledger.keyOf(SubjectId.of(who.getName()));
          List<EventDraft> optOuts = signals.fromGpcHeader(request.getHeader("Sec-GPC"), key,
              at).stream().filter(d -> !ledger.state(key, d.purpose(), at).optedOut()).toList();
          if (!optOuts.isEmpty()) {
            ledger.appendAll(optOuts);
          }
        } catch (RuntimeException e) {
          // As the endpoints' failures: a problem naming the mistake (Problems).
          problems.resolveException(request, response, null, e);
          return;
        }
      }
      chain.doFilter(request, response);
    }
  }
}
