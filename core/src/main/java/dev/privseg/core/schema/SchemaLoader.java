package dev.privseg.core.schema;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.io.StrictYaml;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@link Schema} from YAML or JSON. The document has this shape:
 *
 * <pre>{@code
 * subjectId: customer_id          # optional: the IDENTIFIER field naming the data subject
 * fields:
 *   - name: customer_id
 *     type: IDENTIFIER
 *     role: DIRECT_IDENTIFIER
 *   - name: tenure
 *     type: INTEGER
 *     role: QUASI_IDENTIFIER
 *     required: true              # optional, default false
 *   - name: contract
 *     type: CATEGORICAL
 *     role: OTHER
 *     categories: [Month-to-month, One year, Two year]   # optional closed set
 * }</pre>
 *
 * Type and role names are case-insensitive. Errors name the field and the problem.
 */
public final class SchemaLoader {
  private SchemaLoader() {}

  /** The serialization of a schema document. */
  public enum Format {
    /** YAML 1.1, as read by SnakeYAML through Jackson. */
    YAML,
    /** JSON. */
    JSON;

    /** The format for a file name ending in .yaml, .yml or .json. */
    public static Format forFileName(String fileName) {
      String lower = fileName.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".json")) {
        return JSON;
      }
      Checks.check(lower.endsWith(".yaml") || lower.endsWith(".yml"),
          "schema file must end in .yaml, .yml or .json but was '%s'", fileName);
      return YAML;
    }
  }

  /** Reads a schema document from {@code in}. */
  public static Schema load(InputStream in, Format format) throws IOException {
    String text = readCapped(in);
    if (format == Format.YAML) {
      StrictYaml.check(text, "schema document");
    }
    ObjectMapper mapper = format == Format.JSON ? new ObjectMapper()
        : new ObjectMapper(new YAMLFactory());
    mapper.enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION
        .mappedFeature());
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JacksonException e) {
      // The parser's message quotes the text it failed on: give the place only.
      var at = e.getLocation();
      throw new ConfigurationException("schema document is not valid " + format
          + (at == null || at.getLineNr() < 1 ? ""
              : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
          + (e instanceof com.fasterxml.jackson.core.exc.StreamReadException
              && String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")
              ? ": a key is given twice" : ""));
    }
    if (root == null || root.isMissingNode()) {
      throw new ConfigurationException("schema document is empty");
    }
    return fromTree(root);
  }

  /** The document as text, refused past {@link StrictYaml#MAX_CHARS} without reading more. */
  private static String readCapped(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(StrictYaml.MAX_CHARS * 4 + 1);
    if (bytes.length > StrictYaml.MAX_CHARS * 4) {
      throw new ConfigurationException("schema document is longer than " + StrictYaml.MAX_CHARS
          + " characters");
    }
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Builds a schema from an already parsed document of the same shape, as maps and lists (for
   * example the {@code schema} section of a pipeline spec).
   */
  public static Schema fromMap(java.util.Map<String, ?> document) {
    return fromTree(new ObjectMapper().valueToTree(document));
  }

  static Schema fromTree(JsonNode root) {
    Checks.check(root != null && root.isObject(), "schema must be a mapping with 'fields'");
    JsonNode fieldsNode = root.get("fields");
    Checks.check(fieldsNode != null && fieldsNode.isArray() && !fieldsNode.isEmpty(),
        "schema must have a non-empty list 'fields'");
    Schema.Builder builder = Schema.builder();
    int position = 0;
    for (JsonNode node : fieldsNode) {
      position++;
      builder.add(field(node, position));
    }
    JsonNode subject = root.get("subjectId");
    if (subject != null) {
      builder.subjectField(subject.asText());
    }
    return builder.build();
  }

  private static Field field(JsonNode node, int position) {
    String where = "schema field #" + position;
    Checks.check(node.isObject(), "%s must be a mapping", where);
    JsonNode name = node.get("name");
    Checks.check(name != null && name.isTextual(), "%s needs a 'name'", where);
    where = "schema field '" + name.asText() + "'";
    FieldType type = enumValue(FieldType.class, node.get("type"), where + " 'type'");
    PrivacyRole role = enumValue(PrivacyRole.class, node.get("role"), where + " 'role'");
    boolean required = node.path("required").asBoolean(false);
    List<String> categories = new ArrayList<>();
    for (JsonNode c : node.path("categories")) {
      categories.add(c.asText());
    }
    return new Field(name.asText(), type, role, required, categories);
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode node, String where) {
    Checks.check(node != null && node.isTextual(), "%s is missing", where);
    String text = node.asText().trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(where + " must be one of "
          + java.util.Arrays.toString(type.getEnumConstants()) + " but was '" + node.asText() + "'");
    }
  }
}
