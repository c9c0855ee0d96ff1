package dev.privseg.consent;

import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.rights.RegisteredRun;
import dev.privseg.core.Checks;
import dev.privseg.core.report.ProcessingRecord;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Generates the {@link RecordsOfProcessing records of processing} (GDPR Art. 30(1)) from what
 * actually ran: the records of the runs registered in a {@link MembershipRegistry} give each
 * purpose's description, lawful basis, the data used, minimised and coarsened, the rows
 * limited by age, and the measures applied (pseudonymization, anonymization, differential
 * privacy, release thresholds); what no run can know (the controller, the DPO, the categories
 * of subjects, recipients, transfers) is configured here. Thread-safe once built.
 *
 * <pre>{@code
 * ProcessingRegister register = ProcessingRegister.controller("Example Retail Ltd",
 *         "privacy@example.com")
 *     .dpo("dpo@example.com")
 *     .purpose("marketing-segmentation", List.of("customers"),
 *         List.of("e-mail service provider (processor)"), List.of())
 *     .keepRunsFor(Period.ofDays(90))
 *     .build();
 * String json = register.generate(db.memberships(), Instant.now()).toJson();
 * }</pre>
 */
public final class ProcessingRegister {
  private final String controller;
  private final String contact;
  private final String dpo;
  private final Map<String, Configured> purposes;
  private final Optional<Period> keepRunsFor;

  /** What is configured of a purpose. */
  private record Configured(List<String> subjects, List<String> recipients,
      List<String> transfers) {}

  private ProcessingRegister(Builder b) {
    this.controller = b.controller;
    this.contact = b.contact;
    this.dpo = b.dpo;
    this.purposes = new LinkedHashMap<>(b.purposes);
    this.keepRunsFor = Optional.ofNullable(b.keepRunsFor);
  }

  /** Starts a register for the controller {@code name}, reached at {@code contact}. */
  public static Builder controller(String name, String contact) {
    return new Builder(Checks.notBlank(name, "controller"), Checks.notBlank(contact,
        "controller contact"));
  }

  /**
   * The records of processing at {@code at}: an activity for each configured purpose (with no
   * run as evidence if none is registered), then one for each other purpose runs were registered
   * for (its subjects, recipients and transfers marked as not configured). Read only.
   *
   * @throws ConsentException if a run's record held was altered
   */
  public RecordsOfProcessing generate(MembershipRegistry registry, Instant at) {
    Checks.notNull(registry, "registry");
    Checks.notNull(at, "at");
    Map<String, List<RegisteredRun>> byPurpose = new LinkedHashMap<>();
    purposes.keySet().forEach(p -> byPurpose.put(p, new ArrayList<>()));
    for (RegisteredRun run : registry.runs()) {
      byPurpose.computeIfAbsent(run.purpose(), p -> new ArrayList<>()).add(run);
    }
    List<RecordsOfProcessing.Activity> activities = new ArrayList<>();
    byPurpose.forEach((purpose, runs) -> activities.add(activity(purpose, runs, registry)));
    return new RecordsOfProcessing(at.toString(), controller, contact, dpo, activities);
  }

  /**
   * The evidence for a DPIA of {@code purposeId} at {@code at}: its activity as
   * {@link #generate} states it, each of its runs' risk before and after anonymisation, the
   * guarantees they state, and how the requests in {@code requests} were served. Read only.
   *
   * @throws ConsentException if a run's record held was altered
   */
  public DpiaEvidence dpia(String purposeId, MembershipRegistry registry,
      dev.privseg.consent.rights.RequestLog requests, Instant at) {
    Checks.notBlank(purposeId, "purpose id");
    Checks.notNull(registry, "registry");
    Checks.notNull(requests, "requests");
    Checks.notNull(at, "at");
    List<RegisteredRun> runs = registry.runs().stream()
        .filter(r -> r.purpose().equals(purposeId)).toList();
    List<DpiaEvidence.RunRisk> risks = new ArrayList<>();
    Set<String> guarantees = new LinkedHashSet<>();
    for (RegisteredRun run : runs) {
      Optional<ProcessingRecord> held = registry.record(run.runId());
      if (held.isEmpty()) {
        continue;
      }
      ProcessingRecord r = held.get();
      guarantees.addAll(r.guarantees());
      ProcessingRecord.AnonymizationEntry a = r.anonymization();
      if (a != null && a.summary() != null) {
        risks.add(new DpiaEvidence.RunRisk(run.runId(), a.method(),
            map(a.summary().get("riskBefore")), map(a.summary().get("riskAfter")),
            a.summary().get("riskThreshold"), a.rowsSuppressed(),
            map(a.summary().get("achieved"))));
      }
    }
    Map<String, Long> received = new TreeMap<>();
    long answered = 0;
    long late = 0;
    long open = 0;
    long overdue = 0;
    for (dev.privseg.consent.rights.SubjectRequest q : requests.requests()) {
      if (q.receivedAt().isAfter(at)) {
        continue;
      }
      received.merge(q.type().name(), 1L, Long::sum);
      boolean stillOpen = q.isOpen() || q.closedAt().isAfter(at);
      if (stillOpen) {
        open++;
        overdue += q.dueAt() != null && !at.isBefore(q.dueAt()) ? 1 : 0;
      } else {
        answered++;
        late += q.wasAnsweredLate() ? 1 : 0;
      }
    }
    return new DpiaEvidence(purposeId, at.toString(), activity(purposeId, runs, registry),
        risks, List.copyOf(guarantees),
        new DpiaEvidence.RequestsServed(received, answered, late, open, overdue));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? new TreeMap<>((Map<String, Object>) m) : Map.of();
  }

  private RecordsOfProcessing.Activity activity(String purpose, List<RegisteredRun> runs,
      MembershipRegistry registry) {
    Configured configured = purposes.get(purpose);
    String notConfigured = "(not configured: add it to the register)";
    String description = "";
    String basis = "";
    Set<String> used = new LinkedHashSet<>();
    Set<String> special = new LinkedHashSet<>();
    Set<String> dropped = new LinkedHashSet<>();
    Map<String, String> coarsened = new TreeMap<>();
    Set<String> retention = new LinkedHashSet<>();
    Set<String> measures = new LinkedHashSet<>();
    keepRunsFor.ifPresent(p -> retention.add("registered runs and their segment memberships are "
        + "kept for " + p + ", then forgotten"));
    List<RecordsOfProcessing.RunEvidence> evidence = new ArrayList<>();
    for (RegisteredRun run : runs) {
      Optional<ProcessingRecord> held = registry.record(run.runId());
      String registeredAt = run.registeredAt() == null ? "" : run.registeredAt().toString();
      if (held.isEmpty()) {
        evidence.add(new RecordsOfProcessing.RunEvidence(run.runId(), registeredAt,
            run.recordDigest().orElse(""), -1, -1, Map.of(), List.of()));
        continue;
      }
      ProcessingRecord r = held.get();
      description = r.purpose().description();
      basis = r.purpose().lawfulBasis();
      used.addAll(r.fields().used());
      special.addAll(r.fields().specialCategories());
      dropped.addAll(r.fields().dropped());
      coarsened.putAll(r.fields().coarsened());
      if (r.fields().retention() != null) {
        retention.add("rows used: " + r.fields().retention());
      }
      measures.addAll(measures(r));
      evidence.add(new RecordsOfProcessing.RunEvidence(run.runId(), registeredAt,
          run.recordDigest().orElse(""), r.counts().inputRows(), r.counts().processedRows(),
          r.counts().excludedByGate(), r.guarantees()));
    }
    dropped.removeAll(used);
    return new RecordsOfProcessing.Activity(purpose, description, basis,
        configured == null ? List.of(notConfigured) : configured.subjects(),
        List.copyOf(used), List.copyOf(special), List.copyOf(dropped), coarsened,
        configured == null ? List.of(notConfigured) : configured.recipients(),
        configured == null ? List.of(notConfigured) : configured.transfers(),
        List.copyOf(retention), List.copyOf(measures), evidence);
  }

  /** The measures a run's record shows it applied. */
  private static List<String> measures(ProcessingRecord r) {
    List<String> out = new ArrayList<>();
    out.add("lawful basis checked for every subject before processing: " + r.lawfulBasisGate());
    out.add("data minimisation: only the fields the purpose needs are processed");
    if (r.pseudonymization() != null) {
      out.add("pseudonymisation: " + r.pseudonymization().field() + " replaced by "
          + r.pseudonymization().method() + " pseudonyms");
    }
    if (r.anonymization() != null) {
      out.add("anonymisation: " + r.anonymization().method() + " "
          + new TreeMap<>(r.anonymization().parameters()));
    }
    if (r.release() != null) {
      out.add("segment profiles released only for segments of at least "
          + r.release().minSegmentSize() + " members, computed " + r.release().profileMechanism());
      if (!r.release().privacy().isEmpty()) {
        out.add("differential privacy: " + new TreeMap<>(r.release().privacy()));
      }
    }
    return out;
  }

  /** Builds a {@link ProcessingRegister}. Not thread-safe. */
  public static final class Builder {
    private final String controller;
    private final String contact;
    private String dpo = "";
    private final Map<String, Configured> purposes = new LinkedHashMap<>();
    private Period keepRunsFor;

    private Builder(String controller, String contact) {
      this.controller = controller;
      this.contact = contact;
    }

    /** How to reach the data-protection officer (Art. 37). */
    public Builder dpo(String contact) {
      this.dpo = Checks.notBlank(contact, "dpo contact");
      return this;
    }

    /**
     * What no run can know of purpose {@code purposeId}: the categories of its data subjects,
     * its recipients, and its transfers to third countries with their safeguards (empty: none).
     */
    public Builder purpose(String purposeId, List<String> subjectCategories,
        List<String> recipients, List<String> transfers) {
      Checks.notBlank(purposeId, "purpose id");
      Checks.check(!purposes.containsKey(purposeId), "purpose '%s' is configured twice",
          purposeId);
      Checks.check(!Checks.notNull(subjectCategories, "subject categories").isEmpty(),
          "purpose '%s' needs at least one category of data subjects", purposeId);
      purposes.put(purposeId, new Configured(List.copyOf(subjectCategories),
          List.copyOf(Checks.notNull(recipients, "recipients")),
          List.copyOf(Checks.notNull(transfers, "transfers"))));
      return this;
    }

    /** How long registered runs are kept ({@code keepRunsFor}). */
    public Builder keepRunsFor(Period period) {
      this.keepRunsFor = Reports.keepRunsFor(period);
      return this;
    }

    /** The register. */
    public ProcessingRegister build() {
      return new ProcessingRegister(this);
    }
  }
}
