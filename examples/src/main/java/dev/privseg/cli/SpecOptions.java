package dev.privseg.cli;

import dev.privseg.anonymization.dp.Rational;
import dev.privseg.core.ConfigurationException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/** Reading values out of a spec's sections (records), with errors that name the option. */
final class SpecOptions {
  private SpecOptions() {}

  /** A privacy parameter of the spec; an error names where it is. */
  static Rational rational(String text, String where) {
    try {
      return Rational.parse(text);
    } catch (ConfigurationException e) {
      throw new ConfigurationException("spec: " + where + ": " + e.getMessage());
    }
  }

  /** The names of the options (record components) {@code section} sets, in declaration order. */
  static List<String> set(Record section) {
    List<String> set = new ArrayList<>();
    for (RecordComponent c : section.getClass().getRecordComponents()) {
      try {
        if (c.getAccessor().invoke(section) != null) {
          set.add(c.getName());
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read spec option " + c.getName(), e);
      }
    }
    return set;
  }
}
