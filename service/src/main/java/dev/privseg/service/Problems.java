package dev.privseg.service;

import dev.privseg.consent.ConsentException;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.PrivsegException;
import dev.privseg.signals.SignalException;
import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every failure as an RFC 9457 problem ({@code application/problem+json}) that names the field,
 * option or request at fault and never echoes a value the caller sent: a body's values may be
 * anyone's personal data. A consent database that cannot be reached is a 503 the caller may
 * retry, nothing having been recorded (an append is one transaction).
 */
@RestControllerAdvice
class Problems extends ResponseEntityExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  static final String TYPES = "https://privseg.dev/problems/";

  static ProblemDetail problem(HttpStatus status, String type, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(TYPES + type));
    return p;
  }

  /** A request the service refuses: 400 with what is wrong. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String detail) {
      super(detail);
    }
  }

  /** A caller past its rate limit. */
  static final class RateLimited extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RateLimited() {
      super("too many captures from this caller: retry after a second", null, false, false);
    }
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status,
      WebRequest request) {
    return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "invalid-field",
        "invalid field(s) " + e.getBindingResult().getFieldErrors().stream()
            .map(f -> f.getField() + " (" + f.getDefaultMessage() + ")").sorted().distinct()
            .toList()));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status,
      WebRequest request) {
    // Jackson's own message quotes the text it failed on: only the field's path is passed on.
    String at = "";
    if (e.getCause() instanceof tools.jackson.databind.DatabindException d) {
      at = d.getPath().stream().map(r -> r.getPropertyName() != null ? r.getPropertyName()
          : "[" + r.getIndex() + "]").reduce((a, b) -> a + "." + b).map(p -> " at '" + p + "'")
          .orElse("");
    }
    return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "unreadable-body",
        "the body is not JSON of the expected shape" + at));
  }

  @ExceptionHandler({BadRequest.class, ConfigurationException.class, SignalException.class,
      IllegalArgumentException.class})
  ProblemDetail bad(RuntimeException e) {
    return problem(HttpStatus.BAD_REQUEST, "bad-request", e.getMessage());
  }

  @ExceptionHandler(RateLimited.class)
  ResponseEntity<ProblemDetail> limited(RateLimited e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER,
        "1").body(problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", e.getMessage()));
  }

  @ExceptionHandler(ConsentException.class)
  ResponseEntity<ProblemDetail> consent(ConsentException e) {
    if (unreachable(e)) {
      return unavailable(e);
    }
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(problem(HttpStatus.CONFLICT, "refused", e.getMessage()));
  }

  /** Whether {@code e} comes of a database that could not be reached (or went away). */
  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }

  /** What privseg refused to do (no subject with a basis, a budget spent...): 422. */
  @ExceptionHandler(PrivsegException.class)
  ProblemDetail refused(PrivsegException e) {
    return problem(HttpStatus.UNPROCESSABLE_CONTENT, "refused", e.getMessage());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    if (unreachable(e)) {
      return unavailable(e);
    }
    LOG.error("unexpected failure: {}", e.getClass().getName());
    return ResponseEntity.internalServerError().body(problem(HttpStatus.INTERNAL_SERVER_ERROR,
        "internal", "an internal error; nothing personal is in this message or the log"));
  }

  /** 503, to be retried: the consent database could not be reached. */
  private static ResponseEntity<ProblemDetail> unavailable(Exception e) {
    LOG.warn("consent database unavailable: {}", e.getClass().getName());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
            "the consent database is unavailable; nothing was recorded: retry"));
  }
}
