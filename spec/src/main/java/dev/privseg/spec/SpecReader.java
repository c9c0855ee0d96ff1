package dev.privseg.spec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a spec file into its typed sections: strict YAML (no aliases, no duplicate keys, bounded
 * size), unknown keys refused, one-kind parts deduced, empty entries refused. The parser's
 * messages quote the text they failed on, which may be anything (a pasted customer row): the
 * messages here name where and what kind of mistake, never what was written, and chain no cause.
 */
final class SpecReader {
  private SpecReader() {}

  /** The spec in {@code file}, every section typed. */
  static PipelineSpec read(Path file) throws IOException {
    return parse(readSpec(file), file.getFileName().toString());
  }

  /**
   * The spec in {@code text}, every section typed; {@code name} names it in messages (a file's
   * name, or a classpath resource's).
   */
  static PipelineSpec parse(String text, String name) {
    Checks.notNull(text, "spec text");
    ObjectMapper yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION
            .mappedFeature());
    dev.privseg.core.io.StrictYaml.check(text, "spec " + name);
    PipelineSpec spec;
    try {
      spec = yaml.readValue(text, PipelineSpec.class);
    } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
      String at = path(e);
      String union = e.getReferringClass() == null ? null : unionKinds(e.getReferringClass());
      if (union != null && !ModelSpec.class.isAssignableFrom(
          e.getReferringClass())) {
        // Jackson deduced the kind from the first key; the next key belongs to no such kind.
        String parent = at.substring(0, at.lastIndexOf('.'));
        throw new ConfigurationException("spec " + name + ": '" + parent
            + "' is given by " + kindName(e.getReferringClass()) + ", which takes "
            + e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()
            + ", not '" + e.getPropertyName() + "'; give exactly one of " + union);
      }
      if (e.getReferringClass() != null
          && ModelSpec.class.isAssignableFrom(e.getReferringClass())) {
        // A model type takes only its own options: say which, as the model's, not as a record.
        throw new ConfigurationException("spec " + name + ": anonymize model "
            + modelType(e.getReferringClass()) + " takes " + e.getKnownPropertyIds().stream()
                .map(Object::toString).sorted().toList() + ", not '" + e.getPropertyName()
            + "' (" + at + ")");
      }
      String parent = at.contains(".") ? "'" + at.substring(0, at.lastIndexOf('.')) + "'"
          : "a spec";
      throw new ConfigurationException("spec " + name + ": unknown option '"
          + at + "'; " + parent + " takes " + e.getKnownPropertyIds().stream()
              .map(Object::toString).sorted().toList());
    } catch (com.fasterxml.jackson.databind.exc.InvalidTypeIdException e) {
      Class<?> base = e.getBaseType() == null ? null : e.getBaseType().getRawClass();
      if (base != null && !ModelSpec.class.equals(base)
          && unionKinds(base) != null) {
        throw new ConfigurationException("spec " + name + ": '" + path(e)
            + "' must be exactly one of " + unionKinds(base) + at(e.getLocation()));
      }
      throw new ConfigurationException("spec " + name + ": '" + path(e)
          + ".type' must be one of " + MODEL_TYPES + at(e.getLocation()));
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
      if (e.getPath().isEmpty()
          && String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
        throw new ConfigurationException("spec " + name + " is empty");
      }
      throw new ConfigurationException("spec " + name + ": '" + path(e)
          + "' must be " + expected(e.getTargetType()) + at(e.getLocation()));
    } catch (JsonMappingException e) {
      throw new ConfigurationException("spec " + name + ": '" + path(e)
          + "' has a value that cannot be read" + at(e.getLocation()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      boolean twice = String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field");
      throw new ConfigurationException("spec " + name + " is not valid YAML"
          + at(e.getLocation()) + (twice ? ": a key is given twice" : yamlProblem(e)));
    }
    Checks.check(spec != null, "spec %s is empty", name);
    SpecNulls.refuse(spec, name);
    return spec;
  }

  /** The model types a spec names, in the order of the docs. */
  private static final List<String> MODEL_TYPES = List.of(ModelSpec.KAnonymitySpec.TYPE,
      ModelSpec.LDiversitySpec.TYPE, ModelSpec.TClosenessSpec.TYPE);

  /**
   * For a section whose kind is the key it sets (a hierarchy, a coarsening rule), the kinds it
   * may be, in the docs' words; null for any other section.
   */
  private static String unionKinds(Class<?> type) {
    if (KeySpec.class.isAssignableFrom(type)) {
      return "env, keystore (with alias and passwordEnv), ephemeral or directory";
    }
    if (HierarchySpec.class.isAssignableFrom(type)) {
      return "intervals, masking, dates, flat, ordinal (with groups), taxonomy or csv (with "
          + "delimiter)";
    }
    if (CoarsenSpec.class.isAssignableFrom(type)) {
      return "width, edges, prefix, toMonth, toYear, topCode or bottomCode";
    }
    return ModelSpec.class.isAssignableFrom(type) ? MODEL_TYPES.toString() : null;
  }

  /** The key a deduced record is known by ("intervals", "topCode"): its first. */
  private static String kindName(Class<?> type) {
    return type.getRecordComponents()[0].getName();
  }

  /** The type name of a model spec class, as the spec writes it. */
  private static String modelType(Class<?> type) {
    for (com.fasterxml.jackson.annotation.JsonSubTypes.Type t : ModelSpec.class
        .getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value()) {
      if (t.value() == type) {
        return t.name();
      }
    }
    return type.getSimpleName();
  }

  /** The spec's text, refused past the size of any real spec without reading further. */
  private static String readSpec(Path file) throws IOException {
    long size = Files.size(file);
    if (size > dev.privseg.core.io.StrictYaml.MAX_CHARS * 4L) {
      throw new ConfigurationException("spec " + file.getFileName() + " is longer than "
          + dev.privseg.core.io.StrictYaml.MAX_CHARS + " characters");
    }
    try {
      return Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new ConfigurationException("spec " + file.getFileName() + " is not UTF-8 text");
    }
  }

  /** " (line L, column C)" of a parser location, or nothing if it has none. */
  private static String at(com.fasterxml.jackson.core.JsonLocation location) {
    return location == null || location.getLineNr() < 1 ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /**
   * What the YAML parser found wrong, in its own words but without the excerpt of the text it
   * quotes: SnakeYAML's problem and context (e.g. "mapping values are not allowed here").
   */
  private static String yamlProblem(com.fasterxml.jackson.core.JsonProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked) {
        String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
        return marked.getProblem() == null ? "" : ": " + context + marked.getProblem();
      }
    }
    return "";
  }

  /** Where in the spec {@code e} happened, e.g. {@code segmentation.k} or {@code a[2].b}. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(top level)" : sb.toString();
  }

  /** What a spec value of {@code type} must look like, in the spec's words, not Java's. */
  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another kind";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a single value (text)";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "a mapping of options (key: value)";
  }
}
