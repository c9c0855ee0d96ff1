package dev.privseg.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvWriterTest {
  static final Schema SCHEMA = Schema.builder()
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("band", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("note", FieldType.TEXT, PrivacyRole.OTHER)
      .field("since", FieldType.DATE, PrivacyRole.OTHER)
      .build();

  @Test
  void whatItWritesReadsBackEqual() throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, Object> full = new HashMap<>();
    full.put("age", 41);
    full.put("band", "[40, 50)");
    full.put("spend", 12.5);
    full.put("note", "comma, \"quote\"");
    full.put("since", LocalDate.of(2024, 3, 7));
    rows.add(full);
    Map<String, Object> sparse = new HashMap<>();
    sparse.put("age", 7);
    sparse.put("spend", 3.0);
    rows.add(sparse);
    Dataset data = MapReader.read(rows, SCHEMA);

    StringWriter out = new StringWriter();
    CsvWriter.write(data, out);
    Dataset back = CsvReader.defaults().read(new StringReader(out.toString()), SCHEMA);

    assertThat(out.toString()).startsWith("age,band,spend,note,since\n41,\"[40, 50)\",12.5,");
    assertThat(back.rowCount()).isEqualTo(2);
    StringWriter again = new StringWriter();
    CsvWriter.write(back, again);
    assertThat(again.toString()).isEqualTo(out.toString());
    assertThat(back.column("band").isNull(1)).isTrue();
  }
}
