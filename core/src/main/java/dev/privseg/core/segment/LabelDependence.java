package dev.privseg.core.segment;

/**
 * What a segmenter's label for one row depends on. Differentially private profiles compose over
 * segments in parallel only when adding or removing one subject changes no other subject's label:
 * that holds for {@link #ROW_AND_DECLARED_PARAMETERS} and {@link #ROW_AND_DP_PARAMETERS}, and not
 * for {@link #ALL_ROWS}, so a pipeline refuses DP profiles over segments of the last kind.
 */
public enum LabelDependence {
  /**
   * A row's label depends on the other rows too: centres, quantiles or mixtures fitted to the data
   * (k-means, k-prototypes, Gaussian mixtures, RFM quintiles). One subject can move many labels.
   */
  ALL_ROWS,
  /**
   * A row's label is a function of that row's values and of parameters the host declared before
   * seeing the data (rules over declared thresholds and categories).
   */
  ROW_AND_DECLARED_PARAMETERS,
  /**
   * A row's label is a function of that row's values and of parameters released under
   * differential privacy (the centres of DP k-means); the segmenter states their
   * {@link dev.privseg.core.release.PrivacyLoss} with {@link Segmenter#privacyLoss()}.
   */
  ROW_AND_DP_PARAMETERS
}
