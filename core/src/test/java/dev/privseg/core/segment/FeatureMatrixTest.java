package dev.privseg.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureMatrixTest {

  @Test
  void standardizesNumbersAndOneHotEncodesCategories() {
    Schema s = Schema.builder()
        .field("n", FieldType.NUMERIC, PrivacyRole.OTHER)
        .categorical("c", PrivacyRole.OTHER, "a", "b")
        .field("t", FieldType.TEXT, PrivacyRole.OTHER)
        .build();
    DatasetBuilder b = Dataset.builder(s);
    String[][] rows = {{"1", "a"}, {"3", "b"}, {"", ""}, {"5", "a"}};
    for (String[] r : rows) {
      b.setText(0, r[0]);
      b.setText(1, r[1]);
      b.endRow();
    }
    Dataset d = b.build();

    FeatureMatrix m = FeatureMatrix.encode(d, List.of("n", "c"));

    assertThat(m.featureNames()).containsExactly("n", "c=a", "c=b");
    double[] x = m.data();
    // mean 3, sd 2: (1, 3, missing->mean, 5) -> (-1, 0, 0, 1)
    assertThat(x[0]).isCloseTo(-1, within(1e-12));
    assertThat(x[3]).isCloseTo(0, within(1e-12));
    assertThat(x[6]).isCloseTo(0, within(1e-12));
    assertThat(x[9]).isCloseTo(1, within(1e-12));
    assertThat(new double[] {x[1], x[2], x[4], x[5], x[7], x[8]})
        .containsExactly(1, 0, 0, 1, 0, 0);
    assertThatThrownBy(() -> FeatureMatrix.encode(d, List.of("t")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("field 't' of type TEXT cannot be a segmentation feature");
  }

  @Test
  void rejectsNonFiniteValuesNamingRowAndFeatureButNotTheValue() {
    double[] data = {0.5, 1.5, 2.5, Double.NaN, 4.5, 5.5};

    assertThatThrownBy(() -> FeatureMatrix.of(data, 3, List.of("recency", "spend")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("feature matrix row 1, feature 'spend' is not a finite number "
            + "(NaN or infinite)");
    data[3] = Double.NEGATIVE_INFINITY;
    assertThatThrownBy(() -> FeatureMatrix.of(data, 3, List.of("recency", "spend")))
        .hasMessageContaining("row 1, feature 'spend'");
    data[3] = 3.5;
    assertThat(FeatureMatrix.of(data, 3, List.of("recency", "spend")).rows()).isEqualTo(3);
  }
}
