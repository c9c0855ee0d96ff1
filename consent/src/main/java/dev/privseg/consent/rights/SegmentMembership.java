package dev.privseg.consent.rights;

/**
 * A subject's membership of a segment in a run the host registered, with the purpose and logic
 * of that run, as an access request must explain them (GDPR Art. 15(1)(h)).
 *
 * @param runId the processing record's run id
 * @param purpose the purpose of the run
 * @param algorithm the segmentation algorithm
 * @param segment the segment number
 * @param logic a plain-language description of how segments are made and used
 */
public record SegmentMembership(String runId, String purpose, String algorithm, int segment,
    String logic) {}
