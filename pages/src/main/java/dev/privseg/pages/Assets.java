package dev.privseg.pages;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The templates and the chart library, read once from the classpath. */
final class Assets {
  private static final String ECHARTS =
      "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
  private static volatile String echarts;

  private Assets() {}

  /**
   * The template {@code name} ({@code dev/privseg/pages/NAME.mustache}), escaping HTML; its
   * partials ({@code {{> style}}}) come from the same place.
   */
  static Template template(String name) {
    try (InputStream in = resource("dev/privseg/pages/" + name + ".mustache")) {
      return Mustache.compiler().escapeHTML(true).defaultValue("")
          .withLoader(partial -> new InputStreamReader(resource("dev/privseg/pages/" + partial
              + ".mustache"), StandardCharsets.UTF_8))
          .compile(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** ECharts' minified bundle, to inline into a page. */
  static String echarts() {
    String js = echarts;
    if (js == null) {
      try (InputStream in = resource(ECHARTS)) {
        js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // A bundle must not end the script element it is inlined in.
      js = js.replace("</script", "<\\/script");
      echarts = js;
    }
    return js;
  }

  private static InputStream resource(String path) {
    InputStream in = Assets.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException(path + " is not on the classpath: privseg-pages ships "
          + "it, or depends on the jar that does");
    }
    return in;
  }
}
