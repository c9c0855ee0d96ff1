package dev.privseg.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A remembered token is verified once and stops working when it expires, as a fresh
 * verification would; a token that fails verification is never remembered.
 */
class CachedTokensTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  private static final class MovingClock extends Clock {
    Instant now = NOW;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void aTokenIsVerifiedOnceAndRefusedOnceExpired() {
    AtomicInteger verified = new AtomicInteger();
    JwtDecoder verify = token -> {
      verified.incrementAndGet();
      if (token.equals("forged")) {
        throw new BadJwtException("bad signature");
      }
      return Jwt.withTokenValue(token).header("alg", "RS256").subject("crm-web")
          .issuedAt(NOW).expiresAt(NOW.plusSeconds(300)).build();
    };
    MovingClock clock = new MovingClock();
    CachedTokens tokens = new CachedTokens(verify, clock);
    for (int i = 0; i < 5; i++) {
      assertThat(tokens.decode("good").getSubject()).isEqualTo("crm-web");
    }
    assertThat(verified).hasValue(1);

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
    }
    assertThat(verified).as("a token that fails is verified every time").hasValue(4);

    clock.now = NOW.plus(Duration.ofSeconds(300 + 61)); // past expiry and the 60 s skew
    assertThatThrownBy(() -> tokens.decode("good")).isInstanceOf(JwtValidationException.class);
  }
}
