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

  /** Known hard inputs, replayed as tests and mutated when fuzzing. */
  static java.util.stream.Stream<String> seeds() {
    return java.util.stream.Stream.of(
        "id,n,x,c,free,t,d,s\nA,1,2.5,a,z,2026-01-01T00:00:00Z,2026-01-01,text\n",
        "id,n,x,c,free,t,d,s\nA,1,1,a,z,+292278994-08-17T07:12:55.808Z,2026-01-01,\n",
        "id,n,x,c,free,t,d,s\nA,0x1p3,1d,a,z,,+999999999-12-31,\n",
        "id;n;x\nA;\u0661;NaN\n",
        "\"unterminated\n",
        "id,n\n\"a\"\"b\",1\n");
  }

  @org.junit.jupiter.params.provider.MethodSource("seeds")
  @FuzzTest(maxDuration = "10s")
  void csvWithSchema(@NotNull String text) throws Exception {
    for (boolean lenient : new boolean[] {false, true}) {
      CsvReader reader = CsvReader.builder().lenient(lenient).optionalColumns(true).build();
      Fuzz.onlyTypedExceptions(() -> reader.read(new StringReader(text), SCHEMA));
    }
  }
}
