import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Counts each module's public API: the public types of its exported packages (every package when
 * the module has no module-info) and their public methods and constructors, as javap shows them.
 * Run after a build, from the repository root:
 *
 * <pre>java tools/ApiSurface.java core consent anonymization</pre>
 */
public class ApiSurface {
  public static void main(String[] args) throws IOException {
    ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
    System.out.printf("%-16s %6s %8s%n", "module", "types", "methods");
    for (String module : args) {
      Path classes = Path.of(module, "target", "classes");
      Set<String> exported = exportedPackages(classes);
      List<String> names = new ArrayList<>();
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
          String rel = classes.relativize(f).toString();
          String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
          String pkg = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : "";
          if (!name.endsWith("module-info") && !name.endsWith("package-info")
              && (exported == null || exported.contains(pkg))) {
            names.add(name);
          }
        }
      }
      int types = 0;
      int methods = 0;
      for (String name : names) {
        StringWriter out = new StringWriter();
        javap.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-public", "-cp",
            classes.toString(), name);
        List<String> lines = out.toString().lines().toList();
        // javap -public prints nothing but the header for a type that is not public itself.
        boolean isPublic = lines.stream().anyMatch(l -> l.startsWith("public "));
        if (!isPublic || !enclosingPublic(name, classes, javap)) {
          continue;
        }
        types++;
        methods += (int) lines.stream().filter(l -> l.startsWith("  public ") && l.contains("("))
            .count();
      }
      System.out.printf("%-16s %6d %8d%n", module, types, methods);
    }
  }

  /** Whether every type enclosing a nested type {@code name} is public too. */
  private static boolean enclosingPublic(String name, Path classes, ToolProvider javap) {
    int dollar = name.lastIndexOf('$');
    if (dollar < 0) {
      return true;
    }
    String outer = name.substring(0, dollar);
    StringWriter out = new StringWriter();
    javap.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-public", "-cp",
        classes.toString(), outer);
    return out.toString().lines().anyMatch(l -> l.startsWith("public "))
        && enclosingPublic(outer, classes, javap);
  }

  /** The exported packages of the module in {@code classes}, or null if it has no descriptor. */
  private static Set<String> exportedPackages(Path classes) throws IOException {
    Path info = classes.resolve("module-info.class");
    if (!Files.exists(info)) {
      return null;
    }
    Set<String> out = new TreeSet<>();
    try (var in = Files.newInputStream(info)) {
      for (ModuleDescriptor.Exports e : ModuleDescriptor.read(in).exports()) {
        if (!e.isQualified()) {
          out.add(e.source());
        }
      }
    }
    return out;
  }
}
