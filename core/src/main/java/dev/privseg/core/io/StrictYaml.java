package dev.privseg.core.io;

import dev.privseg.core.ConfigurationException;
import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;

/**
 * Checks a YAML configuration document (a schema, a spec) before it is mapped: YAML aliases
 * ({@code *name}) are refused, since Jackson's YAML reader does not expand them (an alias for a
 * category list loaded as no categories at all), and documents are capped in size. The mapper
 * that reads the document next should also refuse duplicate keys
 * ({@code StreamReadFeature.STRICT_DUPLICATE_DETECTION}), as {@link
 * dev.privseg.core.schema.SchemaLoader} and the CLI's spec reader do:
 *
 * <pre>{@code
 * StrictYaml.check(text, "my config");
 * MyConfig config = new ObjectMapper(new YAMLFactory())
 *     .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
 *     .readValue(text, MyConfig.class);
 * }</pre>
 */
public final class StrictYaml {
  /** The largest configuration document read, in characters. */
  public static final int MAX_CHARS = 1 << 20;

  private StrictYaml() {}

  /**
   * Checks {@code text}, a YAML document described as {@code what}, for size and aliases; a
   * syntax error is left for the mapper to report.
   *
   * @throws ConfigurationException naming the line of the first alias, never its text
   */
  public static void check(String text, String what) {
    if (text.length() > MAX_CHARS) {
      throw new ConfigurationException(what + " is longer than " + MAX_CHARS + " characters");
    }
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CHARS * 2);
    try {
      for (Event e : new Yaml(options).parse(new StringReader(text))) {
        if (e instanceof AliasEvent) {
          throw new ConfigurationException(what + ": YAML aliases (*name) are not supported"
              + " (line " + (e.getStartMark().getLine() + 1) + "): write the value out in full");
        }
      }
    } catch (YAMLException syntax) {
      // Reported, with its place, by the mapper that reads the document next.
    }
  }
}
