package dev.privseg.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link ProcessingRecord} as one self-contained HTML page for a data-protection
 * officer: the guarantees first, then every section of the record as nested tables. It walks the
 * record's JSON form, so every field of the record appears and none is described twice. All text
 * is escaped; the page loads nothing from elsewhere.
 */
final class RecordHtml {
  private RecordHtml() {}

  /** Top-level fields shown in the header line and the guarantees list. */
  private static final List<String> HEADER = List.of("format", "runId", "startedAt",
      "basisEvaluatedAt", "lawfulBasisGate", "guarantees");

  /** Section headings for the record's top-level fields, in the order shown. */
  private static final List<Map.Entry<String, String>> SECTIONS = List.of(
      Map.entry("purpose", "Purpose and lawful basis"),
      Map.entry("counts", "What was processed"),
      Map.entry("fields", "Fields: minimization"),
      Map.entry("pseudonymization", "Pseudonymization"),
      Map.entry("anonymization", "Anonymization"),
      Map.entry("segmentation", "Segmentation"),
      Map.entry("release", "Release"),
      Map.entry("stageMillis", "Time per stage (ms)"));

  private static final String STYLE = "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;"
      + "max-width:60em;padding:0 1em;color:#222}h1{font-size:1.5em}h2{font-size:1.15em;"
      + "margin-top:1.6em;border-bottom:1px solid #ccc}table{border-collapse:collapse;"
      + "margin:.3em 0}th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;"
      + "vertical-align:top}th{background:#f5f5f5;font-weight:600}ul{margin:.3em 0}"
      + ".meta{color:#555}";

  static String render(JsonNode record) {
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append("Processing record ").append(escape(text(record, "runId")))
        .append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n")
        .append("<h1>Processing record</h1>\n<p class=\"meta\">Run ")
        .append(escape(text(record, "runId"))).append(", started ")
        .append(escape(text(record, "startedAt"))).append("; lawful basis evaluated at ")
        .append(escape(text(record, "basisEvaluatedAt"))).append(" by ")
        .append(escape(text(record, "lawfulBasisGate"))).append(". Format ")
        .append(escape(text(record, "format"))).append(".</p>\n");
    h.append("<h2>Guarantees</h2>\n");
    value(h, record.path("guarantees"));
    for (Map.Entry<String, String> s : SECTIONS) {
      JsonNode section = record.path(s.getKey());
      h.append("<h2>").append(escape(s.getValue())).append("</h2>\n");
      if (section.isMissingNode() || section.isNull()) {
        h.append("<p>None in this run.</p>\n");
      } else {
        value(h, section);
      }
    }
    // A field added to the record later still shows, under its own name.
    java.util.Set<String> shown = new java.util.HashSet<>(HEADER);
    SECTIONS.forEach(e -> shown.add(e.getKey()));
    for (Map.Entry<String, JsonNode> e : record.properties()) {
      if (!shown.contains(e.getKey())) {
        h.append("<h2>").append(escape(e.getKey())).append("</h2>\n");
        value(h, e.getValue());
      }
    }
    return h.append("</body>\n</html>\n").toString();
  }


  private static String text(JsonNode record, String field) {
    JsonNode n = record.path(field);
    return n.isValueNode() ? n.asText() : "";
  }

  private static void value(StringBuilder h, JsonNode n) {
    if (n.isObject()) {
      if (n.isEmpty()) {
        h.append("<p>none</p>\n");
        return;
      }
      h.append("<table>\n");
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        h.append("<tr><th>").append(escape(e.getKey())).append("</th><td>");
        value(h, e.getValue());
        h.append("</td></tr>\n");
      }
      h.append("</table>\n");
    } else if (n.isArray()) {
      if (n.isEmpty()) {
        h.append("none");
        return;
      }
      h.append("<ul>\n");
      for (JsonNode item : n) {
        h.append("<li>");
        value(h, item);
        h.append("</li>\n");
      }
      h.append("</ul>\n");
    } else if (n.isNull() || n.isMissingNode()) {
      h.append("&mdash;");
    } else {
      h.append(escape(n.asText()));
    }
  }

  /** Escapes text for HTML element content and attribute values. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
