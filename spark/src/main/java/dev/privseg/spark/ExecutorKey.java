package dev.privseg.spark;

import dev.privseg.core.Checks;
import dev.privseg.core.pseudonymize.KeyException;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;

/**
 * A pseudonymization key that each Spark executor opens itself, named by reference: what a task
 * carries is where the key is (an environment variable's name, a file's path), never the key. The
 * executors must be able to open the very key the pipeline's pseudonymizer uses; a run checks that
 * they do before any row is pseudonymized, and stops otherwise.
 *
 * <pre>{@code
 * // the key in PRIVSEG_KEY (Base64) on the driver and on every executor, e.g. from a secret
 * ExecutorKey key = ExecutorKey.environment("PRIVSEG_KEY");
 * }</pre>
 */
public abstract sealed class ExecutorKey implements Serializable
    permits ExecutorKey.Environment, ExecutorKey.KeyFile {
  private static final long serialVersionUID = 1L;

  private ExecutorKey() {}

  /**
   * The Base64 key in environment variable {@code variable}, read where the task runs (set it on
   * the executors, e.g. from a Kubernetes or YARN secret). Its id is {@code env:variable}, as
   * {@link KeyProvider#fromEnvironment} names it.
   */
  public static ExecutorKey environment(String variable) {
    return new Environment(Checks.notBlank(variable, "environment variable name"));
  }

  /**
   * The Base64 key in the file at {@code path}, read where the task runs (a secret mounted at the
   * same path on every node). Its id is {@code keyId}, which must be the id of the pipeline's key.
   */
  public static ExecutorKey file(String path, String keyId) {
    return new KeyFile(Checks.notBlank(path, "key file"), Checks.notBlank(keyId, "key id"));
  }

  /** The key's non-secret name, as the pipeline's pseudonymizer records it. */
  public abstract String keyId();

  /**
   * Opens the key where this runs.
   *
   * @throws KeyException naming where the key was looked for (never the key) if it is not there
   *     or weak
   */
  public abstract KeyProvider open();

  /** The key in an environment variable. */
  static final class Environment extends ExecutorKey {
    private static final long serialVersionUID = 1L;
    private final String variable;

    Environment(String variable) {
      this.variable = variable;
    }

    @Override
    public String keyId() {
      return "env:" + variable;
    }

    @Override
    public KeyProvider open() {
      return KeyProvider.fromEnvironment(variable);
    }

    @Override
    public String toString() {
      return "ExecutorKey[" + keyId() + "]";
    }
  }

  /** The key in a file. */
  static final class KeyFile extends ExecutorKey {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final String keyId;

    KeyFile(String path, String keyId) {
      this.path = path;
      this.keyId = keyId;
    }

    @Override
    public String keyId() {
      return keyId;
    }

    @Override
    public KeyProvider open() {
      byte[] text;
      try {
        text = Files.readAllBytes(Path.of(path));
      } catch (IOException e) {
        throw new KeyException("cannot read the key file " + path + " for key " + keyId + ": "
            + e.getClass().getSimpleName());
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(new String(text, StandardCharsets.US_ASCII).strip());
      } catch (IllegalArgumentException e) {
        throw new KeyException("the key file " + path + " for key " + keyId
            + " is not valid Base64");
      } finally {
        Arrays.fill(text, (byte) 0);
      }
      try {
        return KeyProvider.of(new SecretKeySpec(key, "HmacSHA256"), keyId);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }

    @Override
    public String toString() {
      return "ExecutorKey[" + keyId + " from " + path + "]";
    }
  }
}
