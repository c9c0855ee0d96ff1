package dev.privseg.consent;

import java.util.List;
import java.util.Map;

/**
 * The records of processing activities (GDPR Art. 30(1)) for segmentation, generated from the
 * runs registered in the consent database by {@link ProcessingRegister#generate}: per purpose,
 * who is responsible, which subjects and data, to whom it goes, how long it is kept, the
 * technical and organisational measures the runs actually applied, and the runs themselves as
 * evidence. Names, counts and parameters only: no personal data. Instants are ISO-8601 UTC.
 *
 * @param generatedAt when the records were generated
 * @param controller the controller's name
 * @param controllerContact how to reach the controller
 * @param dpoContact how to reach the data-protection officer ("" if none is designated)
 * @param activities one per purpose, in the order configured, then any other purpose run
 */
public record RecordsOfProcessing(String generatedAt, String controller,
    String controllerContact, String dpoContact, List<Activity> activities) {

  /** Copies the list. */
  public RecordsOfProcessing {
    activities = List.copyOf(activities);
  }

  /** These records as indented JSON. */
  public String toJson() {
    return Reports.json(this);
  }

  /**
   * One processing activity: a purpose, as configured and as its runs show it.
   *
   * @param purpose the purpose's id
   * @param description what it is for (from its runs' records)
   * @param lawfulBasis the lawful basis it relies on (Art. 6(1))
   * @param subjectCategories the categories of data subjects (configured)
   * @param dataCategories the fields its runs used
   * @param specialCategories the special categories (Art. 9) among them
   * @param dataMinimised the input fields its runs dropped before processing
   * @param coarsened how fields were coarsened, by field
   * @param recipients who receives the segments (configured)
   * @param transfers transfers to third countries and their safeguards (configured)
   * @param retention how long runs and their segments are kept, and any limit on the rows used
   * @param measures the technical measures its runs applied
   * @param runs the registered runs, as evidence
   */
  public record Activity(String purpose, String description, String lawfulBasis,
      List<String> subjectCategories, List<String> dataCategories, List<String> specialCategories,
      List<String> dataMinimised, Map<String, String> coarsened, List<String> recipients,
      List<String> transfers, List<String> retention, List<String> measures,
      List<RunEvidence> runs) {
    /** Copies the lists. */
    public Activity {
      subjectCategories = List.copyOf(subjectCategories);
      dataCategories = List.copyOf(dataCategories);
      specialCategories = List.copyOf(specialCategories);
      dataMinimised = List.copyOf(dataMinimised);
      coarsened = Map.copyOf(coarsened);
      recipients = List.copyOf(recipients);
      transfers = List.copyOf(transfers);
      retention = List.copyOf(retention);
      measures = List.copyOf(measures);
      runs = List.copyOf(runs);
    }
  }

  /**
   * A registered run, as evidence of an activity.
   *
   * @param runId the run
   * @param registeredAt when it was registered ("" if unknown)
   * @param recordDigest its record's SHA-256 ("" if not kept)
   * @param inputRows rows read (-1 if its record was not kept)
   * @param processedRows rows segmented (-1 if its record was not kept)
   * @param excluded rows excluded for lack of a lawful basis, by reason
   * @param guarantees what its record states holds for its outputs
   */
  public record RunEvidence(String runId, String registeredAt, String recordDigest,
      long inputRows, long processedRows, Map<String, Long> excluded, List<String> guarantees) {
    /** Copies the counts. */
    public RunEvidence {
      excluded = Map.copyOf(excluded);
      guarantees = List.copyOf(guarantees);
    }
  }
}
