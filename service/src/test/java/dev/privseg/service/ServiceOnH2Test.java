package dev.privseg.service;

import java.nio.file.Path;

/** The service's contract on an embedded H2 database, the default. */
class ServiceOnH2Test extends ServiceHttpContract {
  @Override
  String jdbcUrl(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("crm") + ";WRITE_DELAY=0";
  }
}
