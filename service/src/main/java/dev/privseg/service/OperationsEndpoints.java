package dev.privseg.service;

import dev.privseg.consent.Activation;
import dev.privseg.consent.Activations;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.spring.SegmentationService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An operator's endpoints: run a segmentation pipeline ({@code privseg.pipelines}) and check a
 * registered run's members before activating them on a channel, which hands over only those
 * whose lawful basis holds now and records the activation.
 */
@RestController
@RequestMapping("/api/v1")
class OperationsEndpoints {
  private final ObjectProvider<SegmentationService> segmentation;
  private final Activations activations;
  private final Clock clock;

  OperationsEndpoints(ObjectProvider<SegmentationService> segmentation, Activations activations,
      Clock clock) {
    this.segmentation = segmentation;
    this.activations = activations;
    this.clock = clock;
  }

  /**
   * An activation to make.
   *
   * @param channel where the members go, e.g. email
   */
  record ActivationRequest(@NotBlank @Size(max = 64) String channel) {}

  /**
   * A member handed over: its pseudonym (the subject directory's) and segment.
   *
   * @param pseudonym the member's pseudonym, which the CRM joins on
   * @param segment the member's segment
   */
  record Member(String pseudonym, int segment) {}

  /**
   * An activation and the members it handed over.
   *
   * @param activation the recorded activation: counts, channel, who and when
   * @param members the members whose basis holds now
   */
  record Activated(Activation activation, List<Member> members) {}

  @PostMapping("/runs/{runId}/activations")
  Activated activate(@PathVariable("runId") String runId, @Valid @RequestBody ActivationRequest r,
      Authentication caller) {
    List<Member> members = new ArrayList<>();
    Activation a = activations.activate(runId, r.channel(), clock.instant(), caller.getName(),
        (pseudonym, segment) -> members.add(new Member(pseudonym, segment)));
    return new Activated(a, members);
  }

  @PostMapping("/pipelines/{name}/runs")
  CompletableFuture<ProcessingRecord> run(@PathVariable("name") String name) {
    SegmentationService service = segmentation.getIfAvailable();
    if (service == null) {
      throw new Problems.BadRequest("the service has no pipelines (privseg.pipelines)");
    }
    return service.run(name).thenApply(run -> run.report());
  }
}
