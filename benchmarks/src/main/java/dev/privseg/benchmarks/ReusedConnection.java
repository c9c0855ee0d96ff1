package dev.privseg.benchmarks;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that hands out one open connection again and again, as a connection pool does
 * for a single-threaded caller; {@code close()} on it returns it instead of closing it. For
 * benchmarks only: a production host passes its own pool.
 */
final class ReusedConnection implements DataSource {
  private final Connection shared;
  private final Connection handle;

  ReusedConnection(DataSource source) throws SQLException {
    this.shared = source.getConnection();
    this.handle = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            if (!shared.getAutoCommit()) {
              shared.rollback();
              shared.setAutoCommit(true);
            }
            return null;
          }
          try {
            return method.invoke(shared, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public Connection getConnection() {
    return handle;
  }

  @Override
  public Connection getConnection(String username, String password) {
    return handle;
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }

  void closeForReal() throws SQLException {
    shared.close();
  }
}
