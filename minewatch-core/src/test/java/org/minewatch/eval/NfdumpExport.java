package org.minewatch.eval;

import static org.assertj.core.api.Assertions.assertThat;

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
final class NfdumpExport {
  private NfdumpExport() {}

  static boolean installed() {
    return Stream.of("softflowd", "nfcapd", "nfdump")
        .allMatch(
            program ->
                Stream.of(System.getenv("PATH").split(":"))
                    .anyMatch(d -> Files.isExecutable(Path.of(d, program))));
  }

  /**
   * The CSV of {@code capture}'s flow records, written under {@code dir}; null if nfcapd wrote no
   * file (softflowd found no flow).
   */
  static Path csvOf(Path capture, Path dir) throws IOException, InterruptedException {
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
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Thread.sleep(1000); // nfcapd binds its socket; there is nothing to wait on
    Process softflowd =
        new ProcessBuilder(
                "softflowd",
                "-r",
                capture.toString(),
                "-n",
                "127.0.0.1:" + port,
                "-v",
                "9",
                "-d",
                "-a",
                "-p",
                dir.resolve("softflowd.pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(softflowd.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(500); // the last datagrams reach nfcapd
    nfcapd.destroy(); // SIGTERM: nfcapd writes its file and exits
    assertThat(nfcapd.waitFor(20, TimeUnit.SECONDS)).isTrue();
    Path file;
    try (Stream<Path> s = Files.list(store)) {
      file =
          s.filter(p -> p.getFileName().toString().startsWith("nfcapd.2")).findFirst().orElse(null);
    }
    if (file == null) {
      return null;
    }
    Path csv = dir.resolve(capture.getFileName() + ".csv");
    ProcessBuilder nfdump =
        new ProcessBuilder("nfdump", "-r", file.toString(), "-o", "csv")
            .redirectOutput(csv.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    nfdump.environment().put("TZ", "UTC");
    assertThat(nfdump.start().waitFor(30, TimeUnit.SECONDS)).isTrue();
    return csv;
  }
}
