package dev.privseg.consent.store.jdbc;

import java.nio.file.Path;

/**
 * Run in a child JVM whose class path lacks an optional dependency: opens a consent database and
 * prints what happened, {@code OK} or the exception's type and message.
 */
public final class MissingDependencyProbe {
  private MissingDependencyProbe() {}

  /** {@code h2 DIR} opens an embedded database; {@code postgres URL} a PostgreSQL one. */
  public static void main(String[] args) {
    try {
      if (args[0].equals("h2")) {
        ConsentDatabase.h2(Path.of(args[1])).close();
      } else {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(args[1]);
        ConsentDatabase.open(ds, "PostgreSQL probe").close();
      }
      System.out.println("OK");
    } catch (Throwable t) {
      System.out.println(t.getClass().getName() + ": " + t.getMessage());
    }
  }
}
