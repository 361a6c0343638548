package org.minewatch.benchmarks;

import static org.minewatch.testkit.ExportMessages.ipfix;
import static org.minewatch.testkit.ExportMessages.set;
import static org.minewatch.testkit.ExportMessages.template;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.minewatch.testkit.ExportMessages;
import org.minewatch.testkit.ExportMessages.Bytes;

/**
 * The collector under a template flood (issue 12): starts {@code minewatch collect} as its own
 * process ({@code java -Xmx256m -XX:+UseSerialGC -jar minewatch.jar collect}, default limits) and
 * sends it, from one UDP socket on 127.0.0.2 as fast as it goes, IPFIX datagrams each defining a
 * new template (observation domain and template id) of 100 fields, the tester's flood; every
 * 1,000th datagram a legitimate exporter on 127.0.0.1 sends a record of its template (with the
 * template itself every 20th time, as exporters repeat theirs). Prints the collector's resident
 * memory every few seconds (from /proc) with the datagrams sent, then its final summary line, the
 * datagrams it took per second, and its peak RSS (VmHWM). Datagrams the collector cannot keep up
 * with are dropped by the kernel, so the rate is the collector's, at full load, on a machine where
 * the sender competes for the same cores.
 *
 * <p>Run: {@code ./mvnw -B -q -pl minewatch-cli,minewatch-benchmarks -am package -DskipTests &&
 * java -cp minewatch-benchmarks/target/benchmarks.jar org.minewatch.benchmarks.TemplateFlood
 * [SECONDS] [JAR]} (default 60 s, {@code minewatch-cli/target/minewatch.jar}); {@code -Dheap=256m}
 * and {@code -Dfields=100} change the flood.
 */
public final class TemplateFlood {
  private static final long T0 = 1_636_334_220L;
  private static final String HEAP = System.getProperty("heap", "256m");
  private static final int FIELDS = Integer.getInteger("fields", 100);

  private TemplateFlood() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    Path jar = Path.of(args.length > 1 ? args[1] : "minewatch-cli/target/minewatch.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          jar
              + " is missing: build it with ./mvnw -B -q -pl minewatch-cli -am package "
              + "-DskipTests");
    }
    Path home = Files.createTempDirectory("minewatch-flood");
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + HEAP,
            "-XX:+UseSerialGC",
            "-jar",
            jar.toString(),
            "collect",
            "--listen",
            "127.0.0.1:" + port,
            "--stats-every",
            "10",
            "--intel-dir",
            home.resolve("intel").toString());
    System.out.println("collector: " + String.join(" ", command));
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("MINEWATCH_HOME", home.toString());
    Process collector = pb.start();
    try {
      run(collector, seconds, port);
    } finally {
      collector.destroyForcibly(); // a no-op after a clean stop; never leave a collector behind
    }
  }

  private static void run(Process collector, int seconds, int port) throws Exception {
    List<String> lines = new ArrayList<>();
    CountDownLatch listening = new CountDownLatch(1);
    Thread reader = new Thread(() -> readStderr(collector, lines, listening), "collector-stderr");
    reader.start();
    if (!listening.await(60, TimeUnit.SECONDS)) {
      collector.destroyForcibly();
      throw new IllegalStateException("the collector did not start listening: " + lines);
    }

    long peakSampled = statusKib(collector.pid(), "VmRSS:");
    System.out.println("   s   datagrams sent   collector RSS");
    System.out.printf(
        Locale.ROOT,
        "%4d %,16d %11.1f MiB (listening, before the flood)%n",
        0,
        0,
        peakSampled / 1024.0);
    AtomicLong sent = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Thread sender = new Thread(() -> flood(port, sent, deadline), "flood");
    long start = System.nanoTime();
    sender.start();
    while (sender.isAlive()) {
      sender.join(5_000);
      long rss = statusKib(collector.pid(), "VmRSS:");
      peakSampled = Math.max(peakSampled, rss);
      System.out.printf(
          Locale.ROOT,
          "%4.0f %,16d %11.1f MiB%n",
          (System.nanoTime() - start) / 1e9,
          sent.get(),
          rss / 1024.0);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long hwm = statusKib(collector.pid(), "VmHWM:");
    double cpu = cpuSeconds(collector.pid());
    // SIGTERM through the handle: Process.destroy() would also close the pipe the final summary
    // comes on.
    collector.toHandle().destroy();
    if (!collector.waitFor(30, TimeUnit.SECONDS)) {
      collector.destroyForcibly();
    }
    reader.join(5_000);
    String last =
        lines.stream().filter(l -> l.startsWith("minewatch: stopped: ")).findFirst().orElse(null);
    if (last == null) { // it died (a build without bounds runs out of heap): say how, not how fast
      System.out.printf(
          Locale.ROOT,
          "%.1f s: %,d datagrams sent; the collector ended with exit status %d and no "
              + "summary; peak RSS %.1f MiB (largest sample)%n",
          elapsed,
          sent.get(),
          collector.exitValue(),
          peakSampled / 1024.0);
      return;
    }
    long received =
        Long.parseLong(
            last.substring("minewatch: stopped: ".length(), last.indexOf(" datagrams"))
                .replace(",", ""));
    System.out.println(last);
    System.out.printf(
        Locale.ROOT,
        "%.1f s: %,d datagrams sent (%,.0f/s), %,d taken by the collector (%,.0f/s, %.1f "
            + "CPU s); peak RSS %.1f MiB (VmHWM; largest sample %.1f MiB); exit status %d%n",
        elapsed,
        sent.get(),
        sent.get() / elapsed,
        received,
        received / elapsed,
        cpu,
        hwm / 1024.0,
        peakSampled / 1024.0,
        collector.exitValue());
  }

  /**
   * Sends the flood until the deadline: a new 100-field template a datagram, a legitimate record
   * every 1,000th.
   */
  private static void flood(int port, AtomicLong sent, long deadline) {
    byte[] m = ExportMessages.floodTemplate(T0, FIELDS, 0);
    byte[] legitTemplate = set(2, template(300, 8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 1, 4, 2, 4));
    byte[] legitRecord =
        set(
            300,
            new Bytes()
                .ipv4("10.0.0.5")
                .ipv4("203.0.113.9")
                .u16(40000)
                .u16(3333)
                .u8(6)
                .u32(1500)
                .u32(12)
                .toByteArray());
    InetAddress to = InetAddress.getLoopbackAddress();
    try (DatagramSocket hostile = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"));
        DatagramSocket legit = new DatagramSocket(0, to)) {
      DatagramPacket packet = new DatagramPacket(m, m.length, to, port);
      long n = 0;
      long legitSequence = 0;
      while (System.nanoTime() < deadline) {
        for (int k = 0; k < 1_000; k++, n++) {
          ExportMessages.redefine(m, n);
          hostile.send(packet);
        }
        byte[] data =
            legitSequence % 20 == 0
                ? ipfix(T0, legitSequence, 1, legitTemplate, legitRecord)
                : ipfix(T0, legitSequence, 1, legitRecord);
        legitSequence++;
        legit.send(new DatagramPacket(data, data.length, to, port));
        sent.addAndGet(1_001);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void readStderr(Process p, List<String> lines, CountDownLatch listening) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
        }
        System.out.println("  | " + line);
        if (line.contains("listening for NetFlow/IPFIX on")) {
          listening.countDown();
        }
      }
    } catch (IOException e) {
      System.out.println("  | (stderr: " + e + ")");
    }
  }

  /** A line of /proc/PID/status in KiB, e.g. VmRSS or VmHWM; 0 if the process is gone. */
  private static long statusKib(long pid, String key) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.exists(status)) {
      return 0;
    }
    for (String l : Files.readAllLines(status)) {
      if (l.startsWith(key)) {
        return Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }

  /**
   * User and system CPU time of the process so far, from /proc/PID/stat (clock ticks of 1/100 s); 0
   * if gone.
   */
  private static double cpuSeconds(long pid) throws IOException {
    Path file = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(file)) {
      return 0;
    }
    String stat = Files.readString(file);
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }
}
