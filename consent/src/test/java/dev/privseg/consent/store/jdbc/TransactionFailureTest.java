package dev.privseg.consent.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * A transaction that fails because the database went away: rolling back on the dead connection
 * fails too, and the failure reported must still be the first one — its SQLState says the
 * connection was lost, which callers (the service's 503) act on. The rollback's own failure
 * masked it, with no SQLState, until the service's fault test caught it.
 */
class TransactionFailureTest {

  /** A connection whose every call after the work fails, as a dropped one's does. */
  private static Connection dropped() {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getAutoCommit" -> true;
          case "setAutoCommit" -> {
            if (Boolean.TRUE.equals(args[0])) {
              throw new SQLException("Connection is closed");
            }
            yield null;
          }
          case "rollback" -> throw new SQLException("Connection is closed");
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void theConnectionsLossIsReportedNotTheFailedRollbackAfterIt() {
    SQLException lost = new SQLException("An I/O error occurred", "08006");
    SQLException thrown = catchThrowableOfType(SQLException.class,
        () -> Migrations.inTransaction(dropped(), tx -> {
          throw lost;
        }));
    assertThat((Throwable) thrown).isSameAs(lost);
    assertThat(thrown.getSuppressed()).hasSize(2)
        .allSatisfy(s -> assertThat(s).hasMessage("Connection is closed"));
  }
}
