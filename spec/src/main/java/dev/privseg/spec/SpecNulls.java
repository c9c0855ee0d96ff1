package dev.privseg.spec;

import dev.privseg.core.ConfigurationException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/**
 * Refuses empty entries in a spec: a list item or a mapping value written but left empty
 * ({@code coarsen: {x: }}, {@code rules: [~]}) reads as null, which no option means. Reported
 * with its place, before anything is built from the spec.
 */
final class SpecNulls {
  private SpecNulls() {}

  /** Throws naming the first empty entry of {@code spec} (from file {@code name}). */
  static void refuse(Object spec, String name) {
    walk(spec, "", name);
  }

  private static void walk(Object value, String path, String name) {
    if (value instanceof Record r) {
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        Object v;
        try {
          v = c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read spec option " + c.getName(), e);
        }
        walk(v, path.isEmpty() ? c.getName() : path + "." + c.getName(), name);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        String at = path + "[" + i + "]";
        if (list.get(i) == null) {
          throw empty(at, name);
        }
        walk(list.get(i), at, name);
      }
    } else if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String at = path + "." + e.getKey();
        if (e.getValue() == null) {
          throw empty(at, name);
        }
        walk(e.getValue(), at, name);
      }
    }
  }

  private static ConfigurationException empty(String path, String name) {
    return new ConfigurationException("spec " + name + ": '" + path + "' is empty: give it a "
        + "value or remove it");
  }
}
