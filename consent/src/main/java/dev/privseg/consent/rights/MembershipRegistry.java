package dev.privseg.consent.rights;

import dev.privseg.core.pipeline.SegmentationRun;
import java.util.List;

/**
 * The runs a host registers so that access requests can list a subject's segment memberships
 * with the purpose and logic of each run (GDPR Art. 15(1)(h)). Keyed by pseudonym (the
 * assignments' key), never by raw identifier; erasure forgets a subject's memberships.
 * Implementations are thread-safe: {@link #inMemory()} here, and a JDBC one next to the ledger.
 */
public interface MembershipRegistry {

  /** Registers every assignment of {@code run}, with {@code logic} describing the run. */
  void register(SegmentationRun run, String logic);

  /** The memberships of the subject with {@code pseudonym}. */
  List<SegmentMembership> memberships(String pseudonym);

  /** Every registered run, by run id. */
  List<RegisteredRun> runs();

  /** Run {@code runId}, if registered. */
  default java.util.Optional<RegisteredRun> run(String runId) {
    return runs().stream().filter(r -> r.runId().equals(runId)).findFirst();
  }

  /**
   * The processing record run {@code runId} registered, if it is registered and its record was
   * kept (consent schema version 18 on). A database registry checks that the record it holds
   * still has the run's record digest.
   *
   * @throws dev.privseg.consent.ConsentException if the record held was altered
   */
  java.util.Optional<dev.privseg.core.report.ProcessingRecord> record(String runId);

  /**
   * The segments run {@code runId} saved for incremental assignment
   * ({@code SegmentationBuilder.assignTo}), if it is registered, saved a model
   * ({@code SegmentationRun.model()}) and was registered from consent schema version 19 on.
   */
  java.util.Optional<dev.privseg.core.segment.SegmentModel> model(String runId);

  /** Shows {@code visitor} every membership of run {@code runId} (none if not registered). */
  void forEachMember(String runId, MemberVisitor visitor);

  /** Sees a run's memberships one at a time. */
  @FunctionalInterface
  interface MemberVisitor {
    /** One member: its pseudonym and segment. */
    void visit(String pseudonym, int segment);
  }

  /** Removes every membership of {@code pseudonym}; returns how many there were. */
  int forget(String pseudonym);

  /**
   * Removes run {@code runId} and every membership in it, for storage limitation (GDPR Art.
   * 5(1)(e)): once a run's segments are no longer used, nothing need be kept to explain them.
   * Returns how many memberships there were (0 for a run never registered).
   */
  int forgetRun(String runId);

  /**
   * Removes every run registered before {@code cutoff}, with all its memberships: storage
   * limitation by age (GDPR Art. 5(1)(e)), e.g. keeping 90 days of runs with
   * {@code forgetRunsRegisteredBefore(Instant.now().minus(Duration.ofDays(90)))}. Runs registered
   * before registration times were recorded (consent schema version 8) have none and are kept;
   * forget those by id ({@link #forgetRun}). Returns how many memberships there were.
   */
  int forgetRunsRegisteredBefore(java.time.Instant cutoff);

  /** A registry in memory, stamping registrations with the UTC clock. */
  static MembershipRegistry inMemory() {
    return new InMemoryMembershipRegistry();
  }
}
