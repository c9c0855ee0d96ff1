package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.segment.kmeans.ChunkedRows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Rows grouped by an order column, in whatever order a shuffle left them, are the rows sorted by
 * that column, cut into the chunks and partitions of rows grouped in that order: the chunks are
 * the same whichever way the rows arrive (the gate's join leaves them unordered).
 */
class SparkRowsOrderProperties {
  private static final StructType STRUCT = new StructType()
      .add("value", DataTypes.IntegerType, false).add("order", DataTypes.LongType, false);

  @Property(tries = 12)
  void rowsGroupedByTheirOrderValuesAreTheSortedRowsInTheSameChunks(
      @ForAll @IntRange(min = 0, max = 70_000) int n,
      @ForAll @IntRange(min = 1, max = 9) int partitions,
      @ForAll @IntRange(min = 1, max = 5) int inputPartitions, @ForAll long seed) {
    Random random = new Random(seed);
    // Increasing values with gaps, and jumps as between the input's partitions, so that a
    // partition's first row often lies inside one of the counted ranges of values.
    List<Row> rows = new ArrayList<>(n);
    long value = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(i, value));
      value += random.nextInt(8) == 0 ? 1L << (33 + random.nextInt(2)) : 1 + random.nextInt(3);
    }
    List<Row> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, random);
    Dataset<Row> data = LocalSpark.session().createDataFrame(shuffled, STRUCT)
        .repartition(inputPartitions);

    SparkRows.Grouped grouped = SparkRows.group(data, "order", partitions);

    SparkRows.Grouped inOrder = SparkRows.group(LocalSpark.session()
        .createDataFrame(rows, STRUCT).coalesce(1), partitions);
    assertThat(grouped.rows()).isEqualTo(n);
    assertThat(grouped.partitioner()).isEqualTo(inOrder.partitioner());
    List<List<Tuple2<Integer, List<Row>>>> byPartition = grouped.chunks().glom().collect();
    List<Integer> values = new ArrayList<>();
    int expectedChunk = 0;
    for (int p = 0; p < byPartition.size(); p++) {
      for (Tuple2<Integer, List<Row>> chunk : byPartition.get(p)) {
        assertThat(chunk._1()).isEqualTo(expectedChunk++);
        assertThat(grouped.partitioner().partitionOfChunk(chunk._1())).isEqualTo(p);
        assertThat(chunk._2()).hasSize(Math.min(ChunkedRows.CHUNK,
            n - chunk._1() * ChunkedRows.CHUNK));
        chunk._2().forEach(r -> values.add(r.getInt(0)));
      }
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(i);
    }
    assertThat(values).isEqualTo(expected);
  }
}
