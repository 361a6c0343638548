package org.minewatch.testkit.exporters;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The path an ISP's flow archive takes: a capture through softflowd (NetFlow v9) into nfcapd, then
 * {@code nfdump -o csv}, the file {@code scan} reads. Needs softflowd, nfcapd and nfdump.
 */
public final class NfdumpExport {
  private NfdumpExport() {}

  public static boolean installed() {
    return Stream.of("softflowd", "nfcapd", "nfdump")
        .allMatch(
            program ->
                Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                    .anyMatch(d -> Files.isExecutable(Path.of(d, program))));
  }

  /**
   * The CSV of {@code capture}'s flow records, written under {@code dir} (with nfcapd's log); null
   * if nfcapd wrote no file (softflowd found no flow).
   *
   * @throws IOException if a program fails to start or does not end in time
   */
  public static Path csvOf(Path capture, Path dir) throws IOException, InterruptedException {
    Path store = Files.createDirectories(dir.resolve(capture.getFileName() + ".store"));
    int port;
    try (DatagramSocket free = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Process nfcapd =
        new ProcessBuilder(
                "nfcapd",
                "-b",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-w",
                store.toString(),
                "-t",
                "3600")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(capture.getFileName() + ".nfcapd.log").toFile())
            .start();
    try {
      Thread.sleep(1000); // nfcapd binds its socket; there is nothing to wait on
      softflowd(capture, port, "9", dir);
      Thread.sleep(500); // the last datagrams reach nfcapd
    } finally {
      nfcapd.destroy(); // SIGTERM: nfcapd writes its file and exits
      ended(nfcapd, 20, "nfcapd");
    }
    Path file;
    try (Stream<Path> s = Files.list(store)) {
      file =
          s.filter(p -> p.getFileName().toString().startsWith("nfcapd.2")).findFirst().orElse(null);
    }
    if (file == null) {
      return null;
    }
    Path csv = dir.resolve(capture.getFileName() + ".csv");
    Path errors = dir.resolve(capture.getFileName() + ".nfdump.err");
    ProcessBuilder nfdump =
        new ProcessBuilder("nfdump", "-r", file.toString(), "-o", "csv")
            .redirectOutput(csv.toFile())
            .redirectError(errors.toFile());
    nfdump.environment().put("TZ", "UTC");
    Process p = nfdump.start();
    ended(p, 30, "nfdump");
    if (p.exitValue() != 0) {
      throw new IOException(
          "nfdump exited with status " + p.exitValue() + ": " + Files.readString(errors));
    }
    return csv;
  }

  /**
   * softflowd reading {@code capture} (-r), in the foreground (-d), with capture times (-a),
   * sending NetFlow {@code version} ("9" or "10", IPFIX) to 127.0.0.1:{@code port}; its pid file
   * and log in {@code dir}. It exits when done.
   *
   * @throws IOException if it fails or does not end within 60 s (its log in the message)
   */
  public static void softflowd(Path capture, int port, String version, Path dir)
      throws IOException, InterruptedException {
    Path log = dir.resolve(capture.getFileName() + ".softflowd.log");
    Process p =
        new ProcessBuilder(
                "softflowd",
                "-r",
                capture.toString(),
                "-n",
                "127.0.0.1:" + port,
                "-v",
                version,
                "-d",
                "-a",
                "-p",
                dir.resolve("softflowd.pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    ended(p, 60, "softflowd");
    if (p.exitValue() != 0) {
      throw new IOException(
          "softflowd exited with status " + p.exitValue() + ": " + Files.readString(log));
    }
  }

  private static void ended(Process p, int seconds, String name)
      throws IOException, InterruptedException {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(name + " did not end within " + seconds + " s");
    }
  }
}
