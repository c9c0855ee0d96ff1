package dev.privseg.consent;

import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentState;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.PurposeId;
import dev.privseg.core.gate.BasisDecision;
import java.io.Serializable;
import java.time.Instant;
import java.time.Period;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a {@link ConsentGate} decides each subject for one purpose at one instant, as a function
 * of the subject's events: for an engine that folds a ledger's events where they are held, so
 * that no single process holds every subject's decision (Spark's executors read them from the
 * ledger's table). It decides as the gate's {@link DecisionSnapshot} does: the events that
 * {@linkplain ConsentEvent#concerns concern} the purpose, took effect by {@link #at()} and were
 * in the ledger when the fold was made (sequence up to {@link #upToSequence()}), in order of
 * effect with ties in ledger order, folded into a {@link ConsentState} and decided by the
 * purpose's policy; a subject without such events gets {@link #unknown()}. Serializable; holds
 * the policy, never a key or an event. Obtained from {@link ConsentGate#fold}.
 *
 * <pre>{@code
 * DecisionFold fold = gate.fold(purpose, at);
 * DecisionFold.Subject subject = fold.subject();
 * for (ConsentEvent e : eventsOfOneSubject) { // any order
 *   subject.add(e.sequence(), e.type(), e.occurredAt().toEpochMilli(), e.noticeVersion());
 * }
 * BasisDecision decision = subject.decision();
 * }</pre>
 */
public final class DecisionFold implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final EventType[] TYPES = EventType.values();

  private final String purposeId;
  private final String purposeDescription;
  private final LawfulBasis basis;
  private final boolean decides;
  private final Period consentExpiry;
  private final boolean directMarketing;
  private final boolean optOutExcludes;
  private final String minimumNoticeVersion;
  private final Instant at;
  private final long upToSequence;
  private final BasisDecision unknown;
  private final SubjectKeyer.Scheme keyScheme;
  private final String keyId;
  private final String keyCheckValue;
  private final boolean keyedThroughDirectory;
  private final transient Supplier<Optional<String>> whyNoneAllowed;
  private transient ConsentPolicy policy;

  DecisionFold(Purpose purpose, Instant at, ConsentPolicy policy, long upToSequence,
      SubjectKeyer keyer, boolean keyedThroughDirectory,
      Supplier<Optional<String>> whyNoneAllowed) {
    this.purposeId = purpose.id().value();
    this.purposeDescription = purpose.description();
    this.basis = purpose.requiredBasis();
    this.decides = policy != null;
    this.consentExpiry = policy == null ? null : policy.consentExpiry().orElse(null);
    this.directMarketing = policy != null && policy.directMarketing();
    this.optOutExcludes = policy != null && policy.optOutExcludes();
    this.minimumNoticeVersion = policy == null ? null
        : policy.minimumNoticeVersion().orElse(null);
    this.at = at;
    this.upToSequence = upToSequence;
    this.policy = policy;
    this.unknown = policy == null ? BasisDecision.NO_BASIS
        : policy.decide(ConsentState.UNKNOWN, at);
    this.keyScheme = keyer.scheme();
    this.keyId = keyer.keyId();
    this.keyCheckValue = keyer.checkValue();
    this.keyedThroughDirectory = keyedThroughDirectory;
    this.whyNoneAllowed = whyNoneAllowed;
  }

  /** The purpose decided for. */
  public Purpose purpose() {
    return new Purpose(PurposeId.of(purposeId), purposeDescription, basis);
  }

  /** The instant decided at: events that took effect later are not read. */
  public Instant at() {
    return at;
  }

  /**
   * The ledger's last sequence number when the fold was made: events appended later are not
   * read, so that the run sees the ledger as it was when it started.
   */
  public long upToSequence() {
    return upToSequence;
  }

  /** The decision for a subject without events the fold reads. */
  public BasisDecision unknown() {
    return unknown;
  }

  /** The scheme the ledger keys subjects with. */
  public SubjectKeyer.Scheme keyScheme() {
    return keyScheme;
  }

  /** The id of the key the ledger keys subjects with (never the key). */
  public String keyId() {
    return keyId;
  }

  /** The check value of the ledger's key ({@link SubjectKeyer#checkValue()}). */
  public String keyCheckValue() {
    return keyCheckValue;
  }

  /**
   * Whether the ledger's events are keyed by random keys its subject directory maps lookup keys
   * to (rather than by the lookup keys themselves).
   */
  public boolean keyedThroughDirectory() {
    return keyedThroughDirectory;
  }

  /**
   * Why no subject could be allowed, if the gate can say without reading events (no policy for
   * the purpose, say); empty once the fold has been sent elsewhere.
   */
  public Optional<String> whyNoneAllowed() {
    return whyNoneAllowed == null ? Optional.empty() : whyNoneAllowed.get();
  }

  /** Whether an event of {@code purpose} and {@code type} concerns the purpose decided for. */
  public boolean concerns(String purpose, EventType type) {
    return purposeId.equals(purpose)
        || ConsentEvent.ALL_PURPOSES.value().equals(purpose) && !type.givesConsent();
  }

  /** A new fold of one subject's events. */
  public Subject subject() {
    return new Subject();
  }

  private ConsentPolicy policy() {
    if (policy == null) {
      policy = new ConsentPolicy(purpose(), Optional.ofNullable(consentExpiry), directMarketing,
          optOutExcludes, Optional.ofNullable(minimumNoticeVersion));
    }
    return policy;
  }

  @Override
  public String toString() {
    return "DecisionFold[purpose " + purposeId + ", at " + at + ", up to event #" + upToSequence
        + "]";
  }

  /**
   * One subject's events, added in any order, and the decision they lead to. Add only events
   * the fold reads: that {@linkplain #concerns concern} the purpose, took effect by
   * {@link #at()} and have a sequence number up to {@link #upToSequence()}. Not thread-safe.
   */
  public final class Subject {
    private long[] sequence = new long[4];
    private long[] occurred = new long[4];
    private byte[] type = new byte[4];
    private String[] notice = new String[4];
    private int size;
    private BasisDecision decision;
    private boolean explicit;

    private Subject() {}

    /**
     * Adds an event.
     *
     * @param eventSequence its sequence number in the ledger
     * @param eventType what happened
     * @param occurredAtMillis when it took effect, in epoch milliseconds
     * @param noticeVersion its notice version
     */
    public void add(long eventSequence, EventType eventType, long occurredAtMillis,
        String noticeVersion) {
      if (size == sequence.length) {
        sequence = Arrays.copyOf(sequence, size * 2);
        occurred = Arrays.copyOf(occurred, size * 2);
        type = Arrays.copyOf(type, size * 2);
        notice = Arrays.copyOf(notice, size * 2);
      }
      sequence[size] = eventSequence;
      occurred[size] = occurredAtMillis;
      type[size] = (byte) eventType.ordinal();
      notice[size] = noticeVersion;
      size++;
      decision = null;
    }

    /** Whether event {@code a} takes effect before event {@code b} (ties in ledger order). */
    private boolean before(int a, int b) {
      return occurred[a] != occurred[b] ? occurred[a] < occurred[b] : sequence[a] < sequence[b];
    }

    /** Folds the events in order of effect, ties in ledger order, and decides. */
    private void decide() {
      // A subject has few events, mostly arriving in ledger order: an insertion sort of their
      // indices, near linear then, and no boxing.
      int[] order = new int[size];
      for (int i = 0; i < size; i++) {
        int e = i;
        int j = i - 1;
        while (j >= 0 && before(e, order[j])) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = e;
      }
      ConsentState.Folding folding = new ConsentState.Folding();
      for (int i : order) {
        if (!folding.apply(TYPES[type[i]], Instant.ofEpochMilli(occurred[i]), notice[i])) {
          break;
        }
      }
      ConsentState state = folding.state();
      decision = decides ? policy().decide(state, at) : BasisDecision.NO_BASIS;
      explicit = decides && state.explicitConsent() && decision.isAllowed();
    }

    /** The decision for the subject. */
    public BasisDecision decision() {
      if (decision == null) {
        decide();
      }
      return decision;
    }

    /**
     * Whether the subject is allowed and its explicit consent (GDPR Art. 9(2)(a)) is in force,
     * as the snapshot marks it.
     */
    public boolean explicitConsent() {
      decision();
      return explicit;
    }
  }
}
