package dev.privseg.core;

import java.util.Map;

/**
 * How a plug-in appears in the processing record, the one way every plug-in describes itself: a
 * description, and its settings. Segmenters, anonymizers, pseudonymizers, lawful-basis gates and
 * profile mechanisms are described so. Neither ever holds personal data.
 */
public interface Described {

  /**
   * What the record calls it, e.g. {@code "k-means"}, {@code "HMAC-SHA256"} or
   * {@code "allow-list of 950 subjects supplied by the host"}.
   */
  String description();

  /** Its settings for the record, in a stable order; empty by default. */
  default Map<String, Object> parameters() {
    return Map.of();
  }
}
