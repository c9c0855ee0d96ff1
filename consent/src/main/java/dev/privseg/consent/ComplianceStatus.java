package dev.privseg.consent;

import dev.privseg.core.release.BudgetStatus;
import java.util.List;
import java.util.Map;

/**
 * Whether what a business holds and uses is still compliant, at one instant, across every run:
 * the ledger's integrity, consent per purpose (who has a basis now; grants, withdrawals and
 * lapses per week), each registered run's standing (stale, past its retention, activations),
 * the subject requests open and overdue, and each privacy budget. Counts, ids and times only:
 * no subject, key or pseudonym. Instants are ISO-8601 UTC text, so that {@link #toJson()} needs
 * nothing but Jackson. Made by {@link ComplianceMonitor#status}.
 *
 * @param at the instant it describes
 * @param ledger the ledger's integrity
 * @param coverage consent per purpose, in the order the monitor's policies were given
 * @param runs every registered run, by run id
 * @param activations the most recent activations, newest first
 * @param requests subject requests awaiting an answer
 * @param budgets every privacy budget, by id (empty if the monitor reads none)
 */
public record ComplianceStatus(String at, Ledger ledger, List<Coverage> coverage, List<Run> runs,
    List<Activated> activations, Requests requests, List<BudgetStatus> budgets) {

  /** Copies the lists. */
  public ComplianceStatus {
    coverage = List.copyOf(coverage);
    runs = List.copyOf(runs);
    activations = List.copyOf(activations);
    budgets = List.copyOf(budgets);
  }

  /** This status as indented JSON. */
  public String toJson() {
    return Reports.json(this);
  }

  /** The runs that are stale: members lost their lawful basis since. */
  public List<Run> staleRuns() {
    return runs.stream().filter(Run::stale).toList();
  }

  /** The runs held past their retention period. */
  public List<Run> runsPastRetention() {
    return runs.stream().filter(Run::pastRetention).toList();
  }

  /**
   * The ledger's hash chain.
   *
   * @param intact whether every link holds (from {@code checkedFrom} on)
   * @param checkedFrom the first event checked: 1 for the whole chain, or the sequence number
   *     of the trusted checkpoint it was checked from
   * @param eventsChecked events checked
   * @param head the last event, {@code SEQUENCE:HASH} ("" for no event, or a broken chain)
   * @param problem what is broken ("" if intact)
   */
  public record Ledger(boolean intact, long checkedFrom, long eventsChecked, String head,
      String problem) {}

  /**
   * Consent for one purpose.
   *
   * @param purpose the purpose's id
   * @param subjects subjects with events that concern it
   * @param allowed how many of them have a lawful basis now
   * @param notAllowed how many have none, by reason ({@code CONSENT_WITHDRAWN}, ...)
   * @param weeks grants, withdrawals and lapses per week, oldest first
   */
  public record Coverage(String purpose, long subjects, long allowed,
      Map<String, Long> notAllowed, List<Week> weeks) {
    /** Copies the counts. */
    public Coverage {
      notAllowed = Map.copyOf(notAllowed);
      weeks = List.copyOf(weeks);
    }
  }

  /**
   * One week's consent events for a purpose.
   *
   * @param weekOf the week's Monday, ISO-8601 ({@code 2026-11-30})
   * @param grants consents given
   * @param withdrawals consents withdrawn
   * @param expiries consents that lapsed (the policy's expiry, or a recorded expiry)
   */
  public record Week(String weekOf, long grants, long withdrawals, long expiries) {}

  /**
   * Where one registered run stands.
   *
   * @param runId the run
   * @param purpose its purpose
   * @param registeredAt when it was registered ("" if before the database recorded it)
   * @param members its memberships held now
   * @param allowed how many of them have a lawful basis now (-1 if not decided)
   * @param lost how many lost it since the run, by reason
   * @param stale whether any member lost it
   * @param pastRetention whether it was registered before the retention period began
   * @param activations how many times it was activated
   * @param lastActivatedAt when last ("" if never)
   * @param undecided why its members could not be decided ("" if they were)
   */
  public record Run(String runId, String purpose, String registeredAt, long members,
      long allowed, Map<String, Long> lost, boolean stale, boolean pastRetention,
      long activations, String lastActivatedAt, String undecided) {
    /** Copies the counts. */
    public Run {
      lost = Map.copyOf(lost);
    }
  }

  /**
   * One activation, as its record holds it (no member).
   *
   * @param activationId its id
   * @param runId the run activated
   * @param channel where the members went
   * @param actor who activated
   * @param at when
   * @param members the run's members then
   * @param allowed how many were handed over
   */
  public record Activated(String activationId, String runId, String channel, String actor,
      String at, long members, long allowed) {}

  /**
   * Subject requests awaiting an answer.
   *
   * @param open how many are open
   * @param overdue how many of those are past their time limit
   * @param dueSoon how many more fall due within the monitor's warning period
   * @param awaiting each open request, oldest first
   */
  public record Requests(long open, long overdue, long dueSoon, List<Request> awaiting) {
    /** Copies the list. */
    public Requests {
      awaiting = List.copyOf(awaiting);
    }
  }

  /**
   * An open request, without its subject.
   *
   * @param requestId its id
   * @param type what was asked
   * @param status where it stands
   * @param receivedAt when it was received
   * @param dueAt the first instant past its time limit ("" if it has none)
   * @param overdue whether that is past
   */
  public record Request(String requestId, String type, String status, String receivedAt,
      String dueAt, boolean overdue) {}
}
