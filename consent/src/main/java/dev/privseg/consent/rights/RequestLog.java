package dev.privseg.consent.rights;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where data subject requests are recorded (GDPR Art. 5(2), accountability): each request as it
 * is received and as it is answered, with its time limit. The in-memory log from
 * {@link #inMemory()} suits tests and small hosts; a host can implement this interface over its
 * own audit store. Implementations are thread-safe.
 */
public interface RequestLog {

  /** Records a request, or replaces the entry with the same {@link SubjectRequest#requestId()}. */
  void record(SubjectRequest request);

  /** Every request recorded, oldest first. */
  List<SubjectRequest> requests();

  /** The request with id {@code requestId}, if recorded. */
  default Optional<SubjectRequest> find(String requestId) {
    return requests().stream().filter(r -> r.requestId().equals(requestId)).findFirst();
  }

  /** The requests still awaiting their answer, oldest first. */
  default List<SubjectRequest> open() {
    return requests().stream().filter(SubjectRequest::isOpen).toList();
  }

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
        for (int i = 0; i < requests.size(); i++) {
          if (requests.get(i).requestId().equals(request.requestId())) {
            requests.set(i, request);
            return;
          }
        }
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
