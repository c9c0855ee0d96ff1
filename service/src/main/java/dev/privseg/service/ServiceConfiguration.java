package dev.privseg.service;

import dev.privseg.core.PurposeId;
import dev.privseg.signals.PrivacySignals;
import dev.privseg.signals.SignalMapping;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The service's own beans: the clock and how privacy signals map to the purposes. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServiceProperties.class)
class ServiceConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Verified tokens remembered until they expire ({@link CachedTokens}). */
  @Bean
  static org.springframework.beans.factory.config.BeanPostProcessor cachedTokens() {
    return CachedTokens.wrapping(Clock.systemUTC());
  }

  @Bean
  PrivacySignals privacySignals(ServiceProperties properties) {
    SignalMapping.Builder mapping = SignalMapping.builder()
        .gpcMeansOptOut(properties.isGpcMeansOptOut());
    properties.getTcfPurposes().forEach((number, purposes) ->
        purposes.forEach(p -> mapping.tcfPurpose(number, PurposeId.of(p))));
    return PrivacySignals.with(mapping.build());
  }
}
