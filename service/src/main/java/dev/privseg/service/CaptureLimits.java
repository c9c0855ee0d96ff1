package dev.privseg.service;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Each caller's rate limit on consent captures ({@code privseg.service.captures-per-second}):
 * a capture past it is refused at once with 429, never queued. Callers are told apart by their
 * token's principal; the limiters of callers idle for a minute are dropped.
 */
@Component
class CaptureLimits {
  private final LoadingCache<String, RateLimiter> limiters;

  CaptureLimits(ServiceProperties properties) {
    RateLimiterConfig config = RateLimiterConfig.custom()
        .limitForPeriod(properties.getCapturesPerSecond())
        .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build();
    this.limiters = CacheBuilder.newBuilder().maximumSize(100_000)
        .expireAfterAccess(Duration.ofMinutes(1))
        .build(CacheLoader.from(caller -> RateLimiter.of("capture", config)));
  }

  /** Takes one capture from {@code caller}'s limit, or refuses it. */
  void acquire(String caller) {
    if (!limiters.getUnchecked(caller).acquirePermission()) {
      throw new Problems.RateLimited();
    }
  }
}
