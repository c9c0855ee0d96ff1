package dev.privseg.cli;

import dev.privseg.core.PrivsegException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code privseg} command-line tool. Exit codes: 0 success, 1 bad input, configuration or
 * run failure (one line on stderr, the stack trace only with {@code --verbose}), 2 wrong usage.
 */
@Command(name = "privseg", mixinStandardHelpOptions = true, version = "privseg 0.1.0-SNAPSHOT",
    description = "Privacy-compliant customer segmentation.",
    subcommands = {DemoCommand.class, RunCommand.class, CheckCommand.class, ConsentCommand.class,
        SubjectCommand.class, ActivateCommand.class, StatusCommand.class, RopaCommand.class,
        DpiaCommand.class})
public final class PrivsegCli {

  /** The environment keys and passwords are read from (tests pass their own). */
  java.util.Map<String, String> environment = System.getenv();

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of errors, and the libraries' progress logs.")
  boolean verbose;

  /** Runs the tool and exits with its exit code. */
  public static void main(String[] args) {
    quietLibraryLogs(java.util.Arrays.asList(args).contains("--verbose"));
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the tool with the given streams and returns the exit code (for tests and embedding). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(args, out, err, System.getenv());
  }

  /** As {@link #execute(String[], PrintWriter, PrintWriter)}, reading {@code environment}. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err,
      java.util.Map<String, String> environment) {
    PrivsegCli root = new PrivsegCli();
    root.environment = environment;
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      boolean verbose = parseResult.hasMatchedOption("--verbose") || root.verbose;
      commandLine.getErr().println("privseg: " + oneLine(e));
      if (verbose) {
        e.printStackTrace(commandLine.getErr());
      }
      commandLine.getErr().flush();
      return 1;
    });
    if (args.length == 0) {
      cli.usage(err);
      return 2;
    }
    return cli.execute(args);
  }

  /**
   * Libraries the tool uses log their progress at INFO (Flyway reports every migration check);
   * on a terminal that buries the tool's own output. Their warnings and errors still show, and
   * {@code --verbose} or an explicit {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} brings the
   * rest back. Must run before the first logger is created.
   */
  static void quietLibraryLogs(boolean verbose) {
    String level = "org.slf4j.simpleLogger.defaultLogLevel";
    if (System.getProperty(level) == null) {
      System.setProperty(level, verbose ? "info" : "warn");
    }
  }

  private static String oneLine(Exception e) {
    if (e instanceof PrivsegException || e instanceof java.io.IOException
        || e instanceof java.io.UncheckedIOException) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (e instanceof java.nio.file.NoSuchFileException) {
        msg = "no such file: " + msg;
      }
      return msg.replace('\n', ' ');
    }
    return "internal error (" + e.getClass().getSimpleName() + "); run with --verbose for details";
  }
}
