package dev.privseg.anonymization.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.privseg.core.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** JSON for saved anonymization schemes: indented, strict about unknown fields. */
public final class SchemeJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SchemeJson() {}

  /** {@code scheme} as JSON. */
  public static String toJson(Object scheme) {
    try {
      return JSON.writeValueAsString(scheme);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException("scheme could not be serialized", e);
    }
  }

  /** Writes {@code scheme} as JSON to {@code file}. */
  public static void write(Object scheme, Path file) throws IOException {
    Files.writeString(file, toJson(scheme), StandardCharsets.UTF_8);
  }

  /** Reads a {@code type} from JSON; {@code what} names it in the error. */
  public static <T> T fromJson(String json, Class<T> type, String what) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException("not a " + what + ": " + e.getOriginalMessage());
    }
  }
}
