package dev.privseg.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on loopback for tests: a master and a worker, each its own JVM,
 * the worker starting executor JVMs of its own. Spark's installation is assembled from the test
 * class path (its jars in {@code SPARK_HOME/jars}, as a Spark distribution has them); privseg's
 * classes are not in it: they reach the executors as the application's jars, which the driver
 * serves, as {@code spark-submit} ships them. Stopped (every JVM) by {@link #close}.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(90);
  private final Path home;
  private final List<Process> processes = new ArrayList<>();
  private final List<String> appJars = new ArrayList<>();
  private final int masterPort;

  private StandaloneCluster(Path home, int masterPort) {
    this.home = home;
    this.masterPort = masterPort;
  }

  /** Starts a master and a worker with {@code cores} cores, and waits until both are up. */
  static StandaloneCluster start(Path dir, int cores) throws IOException, InterruptedException {
    StandaloneCluster cluster = new StandaloneCluster(dir.resolve("spark-home"), freePort());
    try {
      cluster.assemble(dir);
      cluster.launch("master", List.of("org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", Integer.toString(cluster.masterPort),
          "--webui-port", Integer.toString(freePort())));
      cluster.awaitPort(cluster.masterPort);
      cluster.launch("worker", List.of("org.apache.spark.deploy.worker.Worker",
          "--host", "127.0.0.1", "--cores", Integer.toString(cores), "--memory", "1g",
          "--webui-port", Integer.toString(freePort()), cluster.url()));
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The master's URL, {@code spark://127.0.0.1:port}. */
  String url() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The application's jars (privseg's classes), for {@code spark.jars}. */
  String appJars() {
    return String.join(",", appJars);
  }

  /** Spark's jars into SPARK_HOME/jars; every class directory and privseg jar as an app jar. */
  private void assemble(Path dir) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p)) {
        Path jar = dir.resolve("app-" + (n++) + ".jar");
        pack(p, jar);
        appJars.add(jar.toUri().toString());
      } else if (p.getFileName().toString().startsWith("privseg-")) {
        appJars.add(p.toUri().toString());
      } else if (p.getFileName().toString().endsWith(".jar")) {
        Files.createSymbolicLink(jars.resolve(n++ + "-" + p.getFileName()), p);
      }
    }
  }

  private static void pack(Path classes, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }

  private void launch(String name, List<String> mainAndArgs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(List.of(System.getProperty("privseg.spark.jvm.flags", "").trim().split("\\s+")));
    command.add("-cp");
    command.add(home.resolve("jars").toString() + "/*");
    command.addAll(mainAndArgs);
    command.removeIf(String::isEmpty);
    ProcessBuilder b = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(home.resolve(name + ".log").toFile());
    b.environment().put("SPARK_HOME", home.toString());
    b.environment().put("SPARK_SCALA_VERSION", "2.13");
    b.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    b.environment().put("SPARK_LOCAL_DIRS", home.resolve("local").toString());
    processes.add(b.start());
  }

  private void awaitPort(int port) throws InterruptedException {
    Instant until = Instant.now().plus(START);
    while (Instant.now().isBefore(until)) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a cluster JVM exited with " + p.exitValue()
              + "; see " + home);
        }
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        if (s.isConnected()) {
          return;
        }
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the master did not listen within " + START + "; see "
        + home);
  }

  /** What a JVM of the cluster logged, for a failing test's message. */
  String log(String name) {
    try {
      return Files.readString(home.resolve(name + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
