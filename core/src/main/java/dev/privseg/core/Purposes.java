package dev.privseg.core;

/** Purposes most hosts need, ready to use. Hosts define their own with {@link Purpose#of}. */
public final class Purposes {
  private Purposes() {}

  /** Segmenting customers for marketing, on the basis of consent (GDPR Art. 6(1)(a)). */
  public static final Purpose MARKETING_SEGMENTATION = Purpose.of("marketing-segmentation",
      "Grouping customers by similar characteristics to tailor marketing communications",
      LawfulBasis.CONSENT);
}
