package dev.privseg.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every top-level command on the consent database has: the root (its environment), its own
 * spec (for output and errors) and where the database is; and how it writes a page.
 */
abstract class OnConsentDatabase implements Callable<Integer> {
  @ParentCommand
  PrivsegCli root;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  LedgerOptions ledgerOptions;

  /** A page's writing. */
  @FunctionalInterface
  interface PageWriter {
    void write(Path file) throws IOException;
  }

  /** Refuses {@code file} (an option's value) unless it names a file in an existing directory. */
  void requireWritable(Path file, String option) {
    if (file != null && (file.toAbsolutePath().getParent() == null
        || !Files.isDirectory(file.toAbsolutePath().getParent()))) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          option + " must be a file in an existing directory");
    }
  }

  /** Writes a page to {@code file} with {@code writer}, if a file was asked for. */
  static void writePage(Path file, PageWriter writer) {
    if (file == null) {
      return;
    }
    try {
      writer.write(file);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }
}
