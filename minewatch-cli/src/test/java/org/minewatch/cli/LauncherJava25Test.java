package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script ({@code ./minewatch}) on Java 25 or later, where one is installed under
 * {@code /usr/lib/jvm}: it scans the sample with the same findings as on this test's own JVM, makes
 * its AOT cache on the first run after a build and uses it afterwards, remakes it when the jar is
 * rebuilt, and never lets the JVM write a word to the user's stdout or stderr.
 *
 * <p>The launcher runs from a copy of the project's layout in a temporary folder, so that its
 * caches do not land in the build's {@code target}: the script, the sample, and a jar at {@code
 * minewatch-cli/target/minewatch.jar} that this test makes from its own class path (the shaded jar
 * is only built after the tests), with the class folders as jars and the rest by relative {@code
 * Class-Path} entries, which the JVM's archives accept.
 */
class LauncherJava25Test {
  private static final Path JVMS = Path.of("/usr/lib/jvm");
  private static final Pattern VERSION =
      Pattern.compile("^JAVA_VERSION=\"(\\d+)[^\"]*\"", Pattern.MULTILINE);

  @TempDir Path dir;

  @Test
  void java25ScansLikeJava17WithAnAotCacheAndNoJvmMessages() throws Exception {
    Optional<Path> java25 = newestJdk(25);
    assumeTrue(
        java25.isPresent(),
        "no JDK 25 or later under " + JVMS + ": the launcher's Java 25 path is not tested here");
    Path project = Path.of(System.getProperty("user.dir")).getParent();
    Path root = dir.resolve("project");
    Path target = Files.createDirectories(root.resolve("minewatch-cli/target"));
    Files.copy(project.resolve("minewatch"), root.resolve("minewatch"));
    assertThat(root.resolve("minewatch").toFile().setExecutable(true)).isTrue();
    Files.createDirectories(root.resolve("samples"));
    Path sample = root.resolve("samples/campus-mining.pcapng");
    Files.copy(project.resolve("samples/campus-mining.pcapng"), sample);
    Path jar = target.resolve("minewatch.jar");
    writeLauncherJar(jar, target.resolve("lib"));

    Run java17 = launch(root, Path.of(System.getProperty("java.home")), sample, "java17.jsonl");
    assertThat(java17.exit).as(java17.stderr).isZero();
    String expected = Files.readString(dir.resolve("java17.jsonl"));
    assertThat(expected).contains("\"host\":\"10.20.1.15\",\"role\":\"miner\"");

    Run first = launch(root, java25.get(), sample, "first.jsonl");
    assertQuiet(first);
    assertThat(Files.readString(dir.resolve("first.jsonl"))).isEqualTo(expected);
    Path cache = onlyCache(target);
    assertThat(cache.getFileName().toString()).matches("minewatch-25[0-9.+A-Za-z_-]*\\.aot");
    assertThat(Files.getLastModifiedTime(cache)).isGreaterThan(Files.getLastModifiedTime(jar));

    Run cached = launch(root, java25.get(), sample, "cached.jsonl");
    assertQuiet(cached);
    assertThat(Files.readString(dir.resolve("cached.jsonl"))).isEqualTo(expected);
    assertThat(onlyCache(target)).isEqualTo(cache);

    // A rebuilt jar: the JVM would refuse the old cache with a warning on stdout; the launcher
    // makes a new one first.
    Files.delete(jar);
    writeLauncherJar(jar, target.resolve("lib"));
    assertThat(Files.getLastModifiedTime(jar)).isGreaterThan(Files.getLastModifiedTime(cache));
    Run rebuilt = launch(root, java25.get(), sample, "rebuilt.jsonl");
    assertQuiet(rebuilt);
    assertThat(Files.readString(dir.resolve("rebuilt.jsonl"))).isEqualTo(expected);
    assertThat(Files.getLastModifiedTime(onlyCache(target)))
        .isGreaterThan(Files.getLastModifiedTime(jar));
  }

  private static void assertQuiet(Run run) {
    assertThat(run.exit).as(run.stderr).isZero();
    assertThat(run.stdout).as("the JVM's messages on stdout").isEmpty();
    assertThat(run.stderr).as("the JVM's messages on stderr").isEmpty();
  }

  /** The one AOT cache in the folder, and no leftovers of making it. */
  private static Path onlyCache(Path target) throws IOException {
    try (Stream<Path> files = Files.list(target)) {
      List<Path> made =
          files
              .filter(f -> f.getFileName().toString().matches(".*\\.(aot|conf|\\d+)$"))
              .collect(Collectors.toList());
      assertThat(made).as("the AOT cache and nothing else of making it").hasSize(1);
      return made.get(0);
    }
  }

  private record Run(int exit, String stdout, String stderr) {}

  /** {@code minewatch scan -q -f jsonl -o DIR/OUT SAMPLE} with JAVA_HOME set to {@code jdk}. */
  private Run launch(Path root, Path jdk, Path sample, String out) throws Exception {
    Path stdout = dir.resolve(out + ".stdout");
    Path stderr = dir.resolve(out + ".stderr");
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve("minewatch").toString(),
                "scan",
                "-q",
                "-f",
                "jsonl",
                "-o",
                dir.resolve(out).toString(),
                sample.toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    pb.environment().remove("MINEWATCH_JAVA_OPTS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().put("JAVA_HOME", jdk.toString());
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the launcher did not finish in 10 minutes");
    }
    return new Run(
        p.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  /** The JDK under /usr/lib/jvm with the highest major version of at least {@code min}. */
  private static Optional<Path> newestJdk(int min) throws IOException {
    if (!Files.isDirectory(JVMS)) {
      return Optional.empty();
    }
    try (Stream<Path> jdks = Files.list(JVMS)) {
      return jdks.filter(j -> Files.isExecutable(j.resolve("bin/java")))
          .filter(j -> major(j) >= min)
          .max(Comparator.comparingInt(LauncherJava25Test::major));
    }
  }

  private static int major(Path jdk) {
    try {
      Matcher m = VERSION.matcher(Files.readString(jdk.resolve("release")));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * A jar that runs the command line from this test's class path: the class folders of the
   * project's modules packed into jars in {@code lib}, the libraries referred to where they are.
   */
  private static void writeLauncherJar(Path jar, Path lib) throws IOException {
    Files.createDirectories(lib);
    List<String> classPath = new ArrayList<>();
    for (String entry :
        Pattern.compile(Pattern.quote(File.pathSeparator))
            .splitAsStream(System.getProperty("java.class.path"))
            .toList()) {
      Path p = Path.of(entry).toAbsolutePath();
      if (Files.isDirectory(p)) {
        if (p.getFileName().toString().equals("test-classes")) {
          continue;
        }
        Path packed = lib.resolve(p.getParent().getParent().getFileName() + ".jar");
        if (!Files.exists(packed)) {
          pack(p, packed);
        }
        p = packed;
      }
      if (Files.isRegularFile(p)) {
        classPath.add(jar.getParent().relativize(p).toString().replace(File.separatorChar, '/'));
      }
    }
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, MineWatch.class.getName());
    main.put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    try (JarOutputStream manifestOnly = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      manifestOnly.finish();
    }
  }

  private static void pack(Path classes, Path packed) throws IOException {
    try (OutputStream out = Files.newOutputStream(packed);
        JarOutputStream jar = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      files
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(
              f -> {
                try {
                  jar.putNextEntry(
                      new JarEntry(
                          classes.relativize(f).toString().replace(File.separatorChar, '/')));
                  Files.copy(f, jar);
                  jar.closeEntry();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
