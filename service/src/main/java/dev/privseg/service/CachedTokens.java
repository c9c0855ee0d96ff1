package dev.privseg.service;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Remembers the tokens it has verified, so that a caller presenting the same token again (a
 * CRM's back end does, for every capture until the token expires) is not verified again from
 * scratch: the signature and claims of a token cannot change. Its times are checked on every
 * use, so a remembered token stops working when it expires, as a fresh verification would. At
 * most 10,000 tokens, each for at most five minutes.
 */
final class CachedTokens implements JwtDecoder {
  private final JwtDecoder verify;
  private final OAuth2TokenValidator<Jwt> times;
  private final Cache<String, Jwt> verified = CacheBuilder.newBuilder().maximumSize(10_000)
      .expireAfterWrite(Duration.ofMinutes(5)).build();

  CachedTokens(JwtDecoder verify, Clock clock) {
    this.verify = verify;
    JwtTimestampValidator timestamps = new JwtTimestampValidator();
    timestamps.setClock(clock);
    this.times = timestamps;
  }

  @Override
  public Jwt decode(String token) {
    Jwt jwt = verified.getIfPresent(token);
    if (jwt == null) {
      jwt = verify.decode(token);
      verified.put(token, jwt);
      return jwt;
    }
    OAuth2TokenValidatorResult result = times.validate(jwt);
    if (result.hasErrors()) {
      verified.invalidate(token);
      throw new JwtValidationException("the token has expired", result.getErrors());
    }
    return jwt;
  }

  /** Wraps the application's token decoder, whichever way Spring Boot made it. */
  static BeanPostProcessor wrapping(Clock clock) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        return bean instanceof JwtDecoder d && !(bean instanceof CachedTokens)
            ? new CachedTokens(d, clock) : bean;
      }
    };
  }

  @Override
  public String toString() {
    return "CachedTokens[" + verified.size() + " remembered]";
  }
}
