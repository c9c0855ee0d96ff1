package dev.privseg.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/spec.md's reference is generated from the published JSON Schema: every key, with its
 * type, default, example and description. The test fails when the two differ; run it with
 * {@code -Dspec.reference.write=true} to rewrite the reference after changing the schema.
 */
class SpecReferenceTest {
  static final Path DOC = Path.of("../docs/spec.md");
  static final String MARKER = "<!-- Generated from spec/src/main/resources/dev/privseg/spec/"
      + "privseg-spec.schema.json by SpecReferenceTest; edit the schema, not this part. -->";

  @Test
  void theReferenceInTheDocsIsTheOneTheSchemaGives() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int at = doc.indexOf(MARKER);
    assertThat(at).as("docs/spec.md holds the marker line").isNotNegative();
    String generated = reference(SpecSchemaTest.schemaDocument());
    String expected = doc.substring(0, at) + MARKER + "\n\n" + generated;
    if (Boolean.getBoolean("spec.reference.write")) {
      Files.writeString(DOC, expected, StandardCharsets.UTF_8);
    }
    assertThat(doc).as("docs/spec.md is stale: rerun this test with "
        + "-Dspec.reference.write=true").isEqualTo(expected);
  }

  /** One section per top-level key, one table row per key beneath it. */
  static String reference(JsonNode root) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, JsonNode> top : root.path("properties").properties()) {
      JsonNode node = resolve(top.getValue(), root);
      boolean required = contains(root.path("required"), top.getKey());
      out.append("## `").append(top.getKey()).append("`")
          .append(required ? " (required)" : "").append("\n\n")
          .append(node.path("description").asText()).append("\n\n");
      List<String[]> rows = new ArrayList<>();
      if (node.path("properties").isObject()) {
        rows(node, root, top.getKey(), rows);
      } else {
        rows.add(row(top.getKey(), node, root, required));
      }
      out.append("| key | type | default | description |\n|---|---|---|---|\n");
      for (String[] r : rows) {
        out.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
      out.append("\n");
    }
    return out.toString();
  }

  private static void rows(JsonNode object, JsonNode root, String path, List<String[]> rows) {
    for (Map.Entry<String, JsonNode> e : object.path("properties").properties()) {
      String key = path + "." + e.getKey();
      JsonNode node = resolve(e.getValue(), root);
      rows.add(row(key, node, root, contains(object.path("required"), e.getKey())));
      JsonNode items = resolve(node.path("items"), root);
      JsonNode values = resolve(node.path("additionalProperties"), root);
      if (node.path("properties").isObject()) {
        rows(node, root, key, rows);
      } else if (node.has("oneOf")) {
        union(node, root, key, rows);
      } else if (values.has("oneOf")) {
        union(values, root, key + ".<name>", rows);
      } else if (items.has("oneOf")) {
        for (JsonNode branch : items.get("oneOf")) {
          String tag = branch.path("properties").path("type").path("const").asText();
          rows.add(new String[] {"`" + key + "[]` with `type: " + tag + "`", "section", "",
              branch.path("description").asText().replace("|", "\\|")});
          rows(branch, root, key + "[]", rows, tag);
        }
      } else if (items.path("properties").isObject()) {
        rows(items, root, key + "[]", rows);
      } else if (values.path("properties").isObject()) {
        rows(values, root, key + ".<name>", rows);
      }
    }
  }

  /** A union deduced from its keys: a row per kind, named by its first key, then its options. */
  private static void union(JsonNode union, JsonNode root, String path, List<String[]> rows) {
    for (JsonNode branch : union.get("oneOf")) {
      List<String> keys = new ArrayList<>();
      branch.path("properties").fieldNames().forEachRemaining(keys::add);
      if (keys.size() > 1) {
        rows.add(new String[] {"`" + path + "` with `" + keys.get(0) + "`", "section", "",
            branch.path("description").asText().replace("|", "\\|")});
      }
      for (Map.Entry<String, JsonNode> e : branch.path("properties").properties()) {
        rows.add(row(path + "." + e.getKey(), resolve(e.getValue(), root), root, false));
      }
    }
  }

  /** The options of one branch of a tagged union (not its tag), marked with the tag. */
  private static void rows(JsonNode branch, JsonNode root, String path, List<String[]> rows,
      String tag) {
    for (Map.Entry<String, JsonNode> e : branch.path("properties").properties()) {
      if (e.getKey().equals("type")) {
        continue;
      }
      String[] row = row(path + "." + e.getKey(), resolve(e.getValue(), root), root,
          contains(branch.path("required"), e.getKey()));
      row[3] = "For " + tag + ": " + Character.toLowerCase(row[3].charAt(0))
          + row[3].substring(1);
      rows.add(row);
    }
  }

  private static String[] row(String key, JsonNode node, JsonNode root, boolean required) {
    String description = node.path("description").asText();
    if (node.has("examples")) {
      List<String> examples = new ArrayList<>();
      node.get("examples").forEach(x -> examples.add("`" + inline(x) + "`"));
      description += " E.g. " + String.join(", ", examples) + ".";
    }
    return new String[] {"`" + key + "`" + (required ? " (required)" : ""), type(node, root),
        node.has("default") ? "`" + inline(node.get("default")) + "`" : "",
        description.replace("|", "\\|")};
  }

  private static String type(JsonNode node, JsonNode root) {
    if (node.has("oneOf")) {
      return "one of the sections below";
    }
    if (node.has("enum")) {
      List<String> values = new ArrayList<>();
      node.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
      return "one of " + String.join(", ", values.stream().distinct().toList());
    }
    String pattern = node.path("pattern").asText();
    if (pattern.startsWith("(?i)^(") && pattern.endsWith(")$")) {
      List<String> values = new ArrayList<>();
      for (String v : pattern.substring(6, pattern.length() - 2).split("\\|")) {
        String value = v.replace("[-_]", "_").toUpperCase(java.util.Locale.ROOT)
            .replace('-', '_');
        if (!values.contains("`" + value + "`")) {
          values.add("`" + value + "`");
        }
      }
      return "one of " + String.join(", ", values) + " (any case)";
    }
    JsonNode type = node.path("type");
    if (type.isArray()) {
      List<String> kinds = new ArrayList<>();
      type.forEach(t -> kinds.add(t.asText()));
      return String.join(" or ", kinds);
    }
    switch (type.asText()) {
      case "array":
        return "list of " + noun(resolve(node.path("items"), root));
      case "object":
        JsonNode values = resolve(node.path("additionalProperties"), root);
        return values.isObject() ? "map of name to " + noun(values) : "section";
      default:
        return type.asText();
    }
  }

  private static String noun(JsonNode node) {
    if (node.path("properties").isObject() || node.has("oneOf")) {
      return "sections";
    }
    String t = node.path("type").asText();
    return t.equals("array") ? "lists" : t.isEmpty() ? "values" : t + "s";
  }

  private static String inline(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }

  private static JsonNode resolve(JsonNode node, JsonNode root) {
    JsonNode ref = node.get("$ref");
    return ref == null ? node : root.at(ref.asText().substring(1));
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode n : array) {
      if (n.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }
}
