package dev.privseg.consent;

import java.util.List;
import java.util.Map;

/**
 * The evidence a data protection impact assessment (GDPR Art. 35) of one purpose draws on, from
 * what ran: the processing activity as the records of processing state it, the
 * re-identification risk each run measured before and after anonymisation, the guarantees the
 * runs state, and how the subject requests were served. Made by {@link ProcessingRegister#dpia};
 * names, counts and parameters only.
 *
 * @param purpose the purpose
 * @param generatedAt when it was generated (ISO-8601 UTC)
 * @param activity the purpose's processing activity (Art. 30)
 * @param risks each run's risk before and after, newest last (runs without an anonymize stage
 *     or without a kept record are left out)
 * @param guarantees every guarantee the runs state, once each
 * @param requests how subject requests were served
 */
public record DpiaEvidence(String purpose, String generatedAt,
    RecordsOfProcessing.Activity activity, List<RunRisk> risks, List<String> guarantees,
    RequestsServed requests) {

  /** Copies the lists. */
  public DpiaEvidence {
    risks = List.copyOf(risks);
    guarantees = List.copyOf(guarantees);
  }

  /** This evidence as indented JSON. */
  public String toJson() {
    return Reports.json(this);
  }

  /**
   * The re-identification risk one run measured.
   *
   * @param runId the run
   * @param method how quasi-identifiers were protected
   * @param before prosecutor risk of the rows before anonymisation (highest, average, share at
   *     risk, sample uniques)
   * @param after the same of the released rows
   * @param threshold the risk above which a row counts as at risk
   * @param rowsSuppressed rows suppressed rather than released
   * @param achieved what the anonymisation achieved (k, l, t)
   */
  public record RunRisk(String runId, String method, Map<String, Object> before,
      Map<String, Object> after, Object threshold, long rowsSuppressed,
      Map<String, Object> achieved) {}

  /**
   * How subject requests were served.
   *
   * @param received requests received, by type
   * @param answered how many were answered (completed or refused)
   * @param answeredLate how many of those after their time limit
   * @param open how many await their answer
   * @param overdue how many of those are past their time limit
   */
  public record RequestsServed(Map<String, Long> received, long answered, long answeredLate,
      long open, long overdue) {
    /** Copies the counts. */
    public RequestsServed {
      received = Map.copyOf(received);
    }
  }
}
