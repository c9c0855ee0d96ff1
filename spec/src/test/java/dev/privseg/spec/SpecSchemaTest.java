package dev.privseg.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The published JSON Schema is a valid 2020-12 schema, describes exactly the keys the spec reads
 * (no more, no fewer, at every level), and accepts the example spec while refusing a misspelt key
 * as the spec reader does.
 */
class SpecSchemaTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Path TELCO = Path.of("../examples/specs/telco-churn.yaml");

  static JsonNode schemaDocument() throws IOException {
    try (InputStream in = Spec.class.getResourceAsStream("privseg-spec.schema.json")) {
      assertThat(in).as("the schema is shipped in the jar").isNotNull();
      return JSON.readTree(in);
    }
  }

  static Schema schema() throws IOException {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(SchemaLocation.of("https://privseg.dev/schemas/privseg-spec.schema.json"),
            schemaDocument());
  }

  @Test
  void theSchemaIsAValidDraft202012Schema() throws IOException {
    Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
    assertThat(meta.validate(schemaDocument())).isEmpty();
  }

  @Test
  void theSchemaDescribesExactlyTheKeysTheSpecReads() throws IOException {
    JsonNode root = schemaDocument();
    List<String> problems = new ArrayList<>();
    compare(PipelineSpec.class, root, root, "", problems);
    assertThat(problems).isEmpty();
  }

  /** Compares record {@code type}'s components with the properties of {@code node}. */
  private static void compare(Class<?> type, JsonNode node, JsonNode root, String path,
      List<String> problems) {
    node = resolve(node, root);
    TreeSet<String> components = new TreeSet<>();
    for (RecordComponent c : type.getRecordComponents()) {
      components.add(c.getName());
    }
    TreeSet<String> properties = new TreeSet<>();
    node.path("properties").fieldNames().forEachRemaining(properties::add);
    if (!components.equals(properties)) {
      problems.add((path.isEmpty() ? "top level" : path) + ": the spec reads " + components
          + " but the schema describes " + properties);
    }
    if (!node.path("additionalProperties").isBoolean()
        || node.path("additionalProperties").asBoolean()) {
      problems.add(path + ": the schema must refuse unknown keys, as the reader does");
    }
    for (RecordComponent c : type.getRecordComponents()) {
      JsonNode property = node.path("properties").path(c.getName());
      if (!property.isMissingNode()) {
        descend(c.getGenericType(), property, root, join(path, c.getName()), problems);
      }
    }
  }

  private static void descend(Type type, JsonNode node, JsonNode root, String path,
      List<String> problems) {
    node = resolve(node, root);
    if (path.equals("schema")) {
      return; // the schema document is read by SchemaLoader, described under $defs/schema
    }
    if (!path.endsWith("[]") && !path.endsWith("<name>")
        && node.path("description").asText().isBlank()) {
      problems.add(path + ": no description");
    }
    if (type instanceof Class<?> c && c.isSealed() && !tagged(c)) {
      // A union deduced from its keys: one oneOf branch per permitted record, with its keys.
      List<TreeSet<String>> branches = new ArrayList<>();
      for (JsonNode branch : node.path("oneOf")) {
        TreeSet<String> keys = new TreeSet<>();
        branch.path("properties").fieldNames().forEachRemaining(keys::add);
        branches.add(keys);
        if (!branch.path("additionalProperties").isBoolean()
            || branch.path("additionalProperties").asBoolean()) {
          problems.add(path + ": every kind must refuse unknown keys, as the reader does");
        }
      }
      List<TreeSet<String>> kinds = new ArrayList<>();
      for (Class<?> sub : c.getPermittedSubclasses()) {
        TreeSet<String> keys = new TreeSet<>();
        for (RecordComponent rc : sub.getRecordComponents()) {
          keys.add(rc.getName());
        }
        kinds.add(keys);
      }
      if (!new java.util.HashSet<>(branches).equals(new java.util.HashSet<>(kinds))) {
        problems.add(path + ": the spec reads kinds " + kinds + " but the schema describes "
            + branches);
      }
    } else if (type instanceof Class<?> c && c.isSealed()) {
      // A tagged union: one oneOf branch per permitted record, its type named by "const".
      TreeSet<String> branches = new TreeSet<>();
      for (JsonNode branch : node.path("oneOf")) {
        branches.add(branch.path("properties").path("type").path("const").asText());
      }
      TreeSet<String> subtypes = new TreeSet<>();
      for (Class<?> sub : c.getPermittedSubclasses()) {
        String name = tag(sub);
        subtypes.add(name);
        JsonNode branch = null;
        for (JsonNode b : node.path("oneOf")) {
          if (b.path("properties").path("type").path("const").asText().equals(name)) {
            branch = b;
          }
        }
        if (branch != null) {
          compareTagged(sub, branch, root, path + "{" + name + "}", problems);
        }
      }
      if (!branches.equals(subtypes)) {
        problems.add(path + ": the spec reads types " + subtypes + " but the schema describes "
            + branches);
      }
    } else if (type instanceof Class<?> c && c.isRecord()) {
      compare(c, node, root, path, problems);
    } else if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      descend(p.getActualTypeArguments()[0], node.path("items"), root, path + "[]", problems);
    } else if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
      descend(p.getActualTypeArguments()[1], node.path("additionalProperties"), root,
          path + ".<name>", problems);
    }
  }

  /** A tagged record: its components, and the tag "type" besides. */
  private static void compareTagged(Class<?> type, JsonNode node, JsonNode root, String path,
      List<String> problems) {
    TreeSet<String> components = new TreeSet<>(List.of("type"));
    for (RecordComponent c : type.getRecordComponents()) {
      components.add(c.getName());
    }
    TreeSet<String> properties = new TreeSet<>();
    node.path("properties").fieldNames().forEachRemaining(properties::add);
    if (!components.equals(properties)) {
      problems.add(path + ": the spec reads " + components + " but the schema describes "
          + properties);
    }
    if (!node.path("additionalProperties").isBoolean()
        || node.path("additionalProperties").asBoolean()) {
      problems.add(path + ": the schema must refuse unknown keys, as the reader does");
    }
  }

  /** Whether a union is read by a type tag rather than deduced from its keys. */
  private static boolean tagged(Class<?> union) {
    com.fasterxml.jackson.annotation.JsonTypeInfo info =
        union.getAnnotation(com.fasterxml.jackson.annotation.JsonTypeInfo.class);
    return info != null && info.use() == com.fasterxml.jackson.annotation.JsonTypeInfo.Id.NAME;
  }

  /** The name Jackson reads {@code sub} by, from its union's {@code @JsonSubTypes}. */
  private static String tag(Class<?> sub) {
    for (Class<?> parent : sub.getInterfaces()) {
      com.fasterxml.jackson.annotation.JsonSubTypes types =
          parent.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class);
      if (types != null) {
        for (com.fasterxml.jackson.annotation.JsonSubTypes.Type t : types.value()) {
          if (t.value() == sub) {
            return t.name();
          }
        }
      }
    }
    throw new AssertionError(sub + " has no type name");
  }

  private static JsonNode resolve(JsonNode node, JsonNode root) {
    JsonNode ref = node.get("$ref");
    return ref == null ? node : root.at(ref.asText().substring(1));
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  @Test
  void theExampleSpecIsValidAndAMisspeltKeyIsNot() throws IOException {
    Schema schema = schema();
    JsonNode telco = YAML.readTree(Files.readString(TELCO));
    assertThat(schema.validate(telco)).isEmpty();

    JsonNode misspelt = YAML.readTree(Files.readString(TELCO)
        .replace("  suppressionLimit: 0.01", "  supressionLimit: 0.01"));
    List<Error> errors = schema.validate(misspelt);
    assertThat(errors).isNotEmpty();
    assertThat(errors.toString()).contains("supressionLimit");
  }
}
