package dev.privseg.consent.rights;

import java.util.ArrayList;
import java.util.List;

/**
 * Where handled data subject requests are recorded (GDPR Art. 5(2), accountability). The in-memory
 * log from {@link #inMemory()} suits tests and small hosts; a host can implement this interface
 * over its own audit store. Implementations are thread-safe.
 */
public interface RequestLog {

  /** Records one handled request. */
  void record(SubjectRequest request);

  /** Every request recorded, oldest first. */
  List<SubjectRequest> requests();

  /**
   * Replaces the subject key of every entry whose key is one of {@code subjectKeys} with
   * {@link SubjectRequest#UNLINKED}: called on erasure, so that no entry left links the erased
   * person to the records that remain (by key, or through an entry's time). Entries stay, for
   * accountability, naming no one.
   */
  void unlink(java.util.Collection<String> subjectKeys);

  /** A log held in memory. */
  static RequestLog inMemory() {
    return new RequestLog() {
      private final List<SubjectRequest> requests = new ArrayList<>();

      @Override
      public synchronized void record(SubjectRequest request) {
        requests.add(request);
      }

      @Override
      public synchronized List<SubjectRequest> requests() {
        return List.copyOf(requests);
      }

      @Override
      public synchronized void unlink(java.util.Collection<String> subjectKeys) {
        requests.replaceAll(r -> subjectKeys.contains(r.subjectKey()) ? r.unlinked() : r);
      }
    };
  }
}
