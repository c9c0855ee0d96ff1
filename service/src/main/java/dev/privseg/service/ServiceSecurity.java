package dev.privseg.service;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what. Callers present a bearer token (a JWT) their host's identity provider
 * issued; its roles claim gives their roles:
 *
 * <ul>
 *   <li>SUBJECT — a customer, on its own record only ({@code /api/v1/me/**}): the token's subject
 *       claim is its id, so it can name no one else;
 *   <li>CAPTURE — a web form's or app's back end recording consents and privacy signals for the
 *       subjects it serves ({@code /api/v1/consents}, {@code /api/v1/signals});
 *   <li>OPERATOR — segmentation runs and activation checks ({@code /api/v1/pipelines/**},
 *       {@code /api/v1/runs/**});
 *   <li>DPO — subject requests on a subject's behalf and their deadlines
 *       ({@code /api/v1/subjects/**}, {@code /api/v1/requests/**}).
 * </ul>
 *
 * <p>Nothing else is open but {@code /.well-known/gpc.json}, the health status and the OpenAPI
 * document, none of which holds personal data. Stateless: no session, no cookie, so no CSRF
 * token. A refusal is an RFC 9457 problem, 401 without a valid token, 403 without the role.
 */
@Configuration(proxyBeanMethods = false)
class ServiceSecurity {

  /**
   * No observation of each security filter on every request: it cost the service a fifth of its
   * capture rate and tells nothing that {@code http.server.requests} does not.
   */
  @Bean
  org.springframework.security.config.observation.SecurityObservationSettings
      securityObservations() {
    return org.springframework.security.config.observation.SecurityObservationSettings
        .noObservations();
  }

  @Bean
  SecurityFilterChain privsegServiceSecurity(HttpSecurity http, ServiceProperties properties,
      JsonMapper json, dev.privseg.consent.ledger.ConsentLedger ledger,
      dev.privseg.signals.PrivacySignals signals, java.time.Clock clock,
      @org.springframework.beans.factory.annotation.Qualifier("handlerExceptionResolver")
      org.springframework.web.servlet.HandlerExceptionResolver problems) throws Exception {
    JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
    roles.setAuthoritiesClaimName(properties.getRolesClaim());
    roles.setAuthorityPrefix("ROLE_");
    JwtAuthenticationConverter tokens = new JwtAuthenticationConverter();
    tokens.setJwtGrantedAuthoritiesConverter(roles);
    tokens.setPrincipalClaimName(properties.getSubjectClaim());
    org.springframework.security.web.AuthenticationEntryPoint unauthorized =
        (request, response, e) ->
            problem(response, json, HttpStatus.UNAUTHORIZED, "no valid bearer token");
    org.springframework.security.web.access.AccessDeniedHandler forbidden =
        (request, response, e) ->
            problem(response, json, HttpStatus.FORBIDDEN, "the token's roles do not allow this");
    http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(c -> c.disable())
        // After the token is checked, so that the subject is known; not a bean, so that the
        // servlet container does not run it a second time outside security.
        .addFilterAfter(new GpcEndpoints.Filter(ledger, signals, clock, problems),
            org.springframework.security.oauth2.server.resource.web.authentication
                .BearerTokenAuthenticationFilter.class)
        .authorizeHttpRequests(a -> a
            .requestMatchers(HttpMethod.GET, "/.well-known/gpc.json", "/actuator/health",
                "/v3/api-docs").permitAll()
            .requestMatchers("/api/v1/me/**").hasRole(Roles.SUBJECT)
            .requestMatchers(HttpMethod.POST, "/api/v1/consents", "/api/v1/signals")
                .hasRole(Roles.CAPTURE)
            .requestMatchers("/api/v1/pipelines/**", "/api/v1/runs/**").hasRole(Roles.OPERATOR)
            .requestMatchers("/api/v1/subjects/**", "/api/v1/requests/**").hasRole(Roles.DPO)
            .requestMatchers("/actuator/**").hasRole(Roles.OPERATOR)
            .anyRequest().denyAll())
        .oauth2ResourceServer(o -> o.jwt(j -> j.jwtAuthenticationConverter(tokens))
            .authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
        .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized)
            .accessDeniedHandler(forbidden));
    return http.build();
  }

  private static void problem(HttpServletResponse response, JsonMapper json, HttpStatus status,
      String detail) throws IOException {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    if (status == HttpStatus.UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    json.writeValue(response.getOutputStream(), problem);
  }
}
