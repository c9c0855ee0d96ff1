package dev.privseg.core.io;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.DataFormatException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.RejectReason;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.Schema;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a JDBC {@link ResultSet} into a {@link Dataset}, matching schema fields to column labels
 * (case-insensitively). Columns the schema does not declare are never read. The result set is
 * consumed but not closed.
 *
 * <p>Select only the columns the purpose needs. For a large table, let the driver stream: with
 * PostgreSQL that means auto-commit off and a fetch size on the statement (say 10,000),
 * otherwise the driver holds every row in memory before the first one is read.
 */
public final class JdbcReader {
  private JdbcReader() {}

  /** Reads {@code rs} strictly: the first bad row throws {@link DataFormatException}. */
  public static Dataset read(ResultSet rs, Schema schema) throws SQLException {
    return read(rs, schema, false);
  }

  /** Reads {@code rs}; when {@code lenient}, bad rows are skipped and counted. */
  public static Dataset read(ResultSet rs, Schema schema, boolean lenient) throws SQLException {
    List<Field> fields = schema.fields();
    int[] columns = columnPositions(rs.getMetaData(), fields);
    DatasetBuilder builder = Dataset.builder(schema).lenient(lenient);
    while (rs.next()) {
      builder.addRow(b -> {
        for (int i = 0; i < columns.length; i++) {
          b.setObject(i, value(rs, columns[i], fields.get(i), b.rowNumber()));
        }
      });
    }
    return builder.build();
  }

  private static Object value(ResultSet rs, int column, Field field, long row) {
    try {
      Object v = switch (field.type()) {
        case DATE -> rs.getDate(column);
        case TIMESTAMP -> rs.getTimestamp(column);
        default -> rs.getObject(column);
      };
      return rs.wasNull() ? null : v;
    } catch (SQLException e) {
      // Driver messages may quote the value; report the field only.
      throw new DataFormatException(row, field.name(), RejectReason.WRONG_TYPE,
          "the column cannot be read as " + field.type());
    }
  }

  private static int[] columnPositions(ResultSetMetaData meta, List<Field> fields)
      throws SQLException {
    Map<String, Integer> byLabel = new HashMap<>();
    for (int c = 1; c <= meta.getColumnCount(); c++) {
      byLabel.putIfAbsent(meta.getColumnLabel(c).toLowerCase(Locale.ROOT), c);
    }
    int[] positions = new int[fields.size()];
    for (int i = 0; i < positions.length; i++) {
      Integer c = byLabel.get(fields.get(i).name().toLowerCase(Locale.ROOT));
      if (c == null) {
        throw new ConfigurationException("result set has no column '" + fields.get(i).name()
            + "' declared in the schema");
      }
      positions[i] = c;
    }
    return positions;
  }
}
