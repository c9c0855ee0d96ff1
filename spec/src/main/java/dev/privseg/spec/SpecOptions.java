package dev.privseg.spec;

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

  /** The constant of {@code type} named {@code value} (any case); an error names {@code where}. */
  static <E extends Enum<E>> E enumOf(Class<E> type, String value, String where) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(where + " must be one of "
          + java.util.Arrays.toString(type.getEnumConstants()));
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
