package dev.privseg.spring;

import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.spec.Spec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs an application's segmentation pipelines, each a spec it ships (a classpath resource, say),
 * in the application's consent database: the gate decides in its ledger by its purposes'
 * policies, pseudonyms are its subject directory's, and each run's memberships are registered
 * there, so access requests list them, erasure forgets them and activation checks decide them.
 * Runs go to the application's executor and complete a future with the run.
 *
 * <p>Every spec is read and checked when the service is made, so a mistake stops the application
 * at start, naming the pipeline: an unknown option, a field the schema lacks, an option that
 * would open another database, or pseudonyms erasure could not find. Thread-safe: each run
 * reads its spec afresh.
 *
 * <pre>{@code
 * SegmentationRun run = segmentation.run("offers").join();
 * run.report().counts().processedRows();
 * }</pre>
 */
public final class SegmentationService {
  /**
   * A pipeline: its name, where its spec came from (named in messages) and the spec's text.
   *
   * @param name the name runs are asked for by
   * @param location where the spec came from, e.g. {@code classpath:segmentation/offers.yaml}
   * @param spec the spec's YAML text
   */
  public record Pipeline(String name, String location, String spec) {
    /** Validates the pipeline. */
    public Pipeline {
      Checks.notBlank(name, "pipeline name");
      Checks.notBlank(location, "pipeline location");
      Checks.notNull(spec, "pipeline spec");
    }

    @Override
    public String toString() {
      return "Pipeline[" + name + " from " + location + "]";
    }
  }

  /** Told of each run's end, on the thread that ran it (metrics, say). */
  public interface Listener {
    /** Pipeline {@code pipeline} ran and its memberships were registered; {@code record} says what. */
    void ran(String pipeline, ProcessingRecord record);

    /** Pipeline {@code pipeline} failed with {@code failure}; nothing of it was registered. */
    default void failed(String pipeline, Throwable failure) {}
  }

  private final Map<String, Pipeline> pipelines;
  private final Path directory;
  private final ConsentDatabase database;
  private final ConsentLedger ledger;
  private final List<ConsentPolicy> policies;
  private final Executor executor;
  private final Listener listener;

  /**
   * A service running {@code pipelines} in {@code database} and its {@code ledger}, deciding
   * purposes by {@code policies}, on {@code executor}, telling {@code listener} of each run.
   * Relative paths in the specs resolve against {@code directory}.
   *
   * @throws ConfigurationException naming the pipeline whose spec is wrong, and how
   */
  public SegmentationService(List<Pipeline> pipelines, Path directory, ConsentDatabase database,
      ConsentLedger ledger, List<ConsentPolicy> policies, Executor executor,
      Listener listener) {
    Checks.notNull(pipelines, "pipelines");
    this.directory = Checks.notNull(directory, "directory").toAbsolutePath();
    this.database = Checks.notNull(database, "database");
    this.ledger = Checks.notNull(ledger, "ledger");
    this.policies = List.copyOf(Checks.notNull(policies, "policies"));
    this.executor = Checks.notNull(executor, "executor");
    this.listener = Checks.notNull(listener, "listener");
    Map<String, Pipeline> byName = new LinkedHashMap<>();
    for (Pipeline p : pipelines) {
      Checks.notNull(p, "pipeline");
      Checks.check(byName.putIfAbsent(p.name(), p) == null, "pipeline '%s' is given twice",
          p.name());
      check(p);
    }
    this.pipelines = Map.copyOf(byName);
  }

  /** Reads and builds {@code p}'s spec as a run would, reading no data. */
  private void check(Pipeline p) {
    String named = "pipeline '" + p.name() + "' (" + p.location() + "): ";
    boolean registers;
    try (Spec spec = open(p)) {
      registers = spec.registersMemberships();
      if (registers) {
        spec.pipeline();
      }
    } catch (ConfigurationException e) {
      throw new ConfigurationException(named + e.getMessage());
    } catch (IOException e) {
      throw new ConfigurationException(named + "a file it names cannot be read: "
          + e.getClass().getSimpleName());
    }
    if (!registers) {
      throw new ConfigurationException(named + "its runs' memberships could not be registered; "
          + "give it pseudonymize.key: {directory: true}, whose pseudonyms erasure finds");
    }
  }

  private Spec open(Pipeline p) {
    return Spec.parse(p.spec(), p.location(), directory, System.getenv())
        .inConsentDatabase(database, ledger, policies);
  }

  /** The pipelines' names. */
  public Set<String> pipelines() {
    return pipelines.keySet();
  }

  /**
   * Runs pipeline {@code name} on its spec's input (its CSV file or its database query) on the
   * executor. The future completes with the run once its memberships are registered, or
   * exceptionally with what failed (a {@link ConfigurationException} naming the option, say).
   *
   * @throws IllegalArgumentException if there is no such pipeline (naming those there are)
   */
  public CompletableFuture<SegmentationRun> run(String name) {
    return submit(pipeline(name), null);
  }

  /**
   * Runs pipeline {@code name} on {@code input}, a dataset of the spec's schema the application
   * read itself, as {@link #run(String)} does.
   *
   * @throws IllegalArgumentException if there is no such pipeline (naming those there are)
   */
  public CompletableFuture<SegmentationRun> run(String name, Dataset input) {
    return submit(pipeline(name), Checks.notNull(input, "input"));
  }

  private Pipeline pipeline(String name) {
    Checks.notNull(name, "pipeline name");
    Pipeline p = pipelines.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no pipeline '" + name + "'; there are "
          + new ArrayList<>(new java.util.TreeSet<>(pipelines.keySet()))
          + " (privseg.pipelines)");
    }
    return p;
  }

  private CompletableFuture<SegmentationRun> submit(Pipeline p, Dataset input) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        SegmentationRun run = runNow(p, input);
        listener.ran(p.name(), run.report());
        return run;
      } catch (RuntimeException e) {
        listener.failed(p.name(), e);
        throw e;
      }
    }, executor);
  }

  private SegmentationRun runNow(Pipeline p, Dataset input) {
    try (Spec spec = open(p)) {
      SegmentationRun run = spec.pipeline().run(input == null ? spec.read() : input);
      spec.registerMemberships(run);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException("pipeline '" + p.name() + "' could not read its input: "
          + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public String toString() {
    return "SegmentationService" + new java.util.TreeSet<>(pipelines.keySet());
  }
}
