package dev.privseg.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.StringReader;
import java.util.List;

/** CSV read against a schema with every field type, strict and lenient. */
class CsvFuzzTest {
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("n", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("x", FieldType.NUMERIC, PrivacyRole.OTHER)
      .categorical("c", PrivacyRole.OTHER, "a", "b")
      .field("free", FieldType.CATEGORICAL, PrivacyRole.OTHER)
      .field("t", FieldType.TIMESTAMP, PrivacyRole.OTHER)
      .field("d", FieldType.DATE, PrivacyRole.OTHER)
      .add(new Field("s", FieldType.TEXT, PrivacyRole.OTHER, false, List.of()))
      .build();

  @FuzzTest(maxDuration = "10s")
  void csvWithSchema(@NotNull String text) throws Exception {
    for (boolean lenient : new boolean[] {false, true}) {
      CsvReader reader = CsvReader.builder().lenient(lenient).optionalColumns(true).build();
      Fuzz.onlyTypedExceptions(() -> reader.read(new StringReader(text), SCHEMA));
    }
  }
}
