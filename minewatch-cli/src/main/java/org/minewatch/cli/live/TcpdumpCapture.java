package org.minewatch.cli.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.minewatch.capture.CaptureFormatException;
import org.minewatch.capture.CaptureInput;
import org.minewatch.capture.CaptureListener;
import org.minewatch.capture.PcapReader;

/**
 * Live packets from libpcap through Debian's tcpdump, which writes a pcap stream to a pipe ({@code
 * tcpdump -i IF -B 65536 -U -s 0 -w -}): no native binding to maintain, and the capture runs with
 * tcpdump's privileges, not MineWatch's. The watch's fallback where the kernel's ring ({@code
 * PacketRing}) cannot run. {@code -U} writes each packet to the pipe as it comes (a system call
 * each), so that findings are not held back in tcpdump's buffer on a quiet link; without {@code
 * --immediate-mode} libpcap hands packets over in batches (at least once a second), which on the
 * veth bench cut the kernel's drops at 100,000 packets/s from a third to 3% (docs/benchmarks.md,
 * "Live capture"). {@code -B}: a 64 MiB kernel buffer, as the ring has, not libpcap's 2 MiB. The
 * kernel's counters come from tcpdump's reports on SIGUSR1 and at exit; its other messages go to
 * {@code messages}.
 */
public final class TcpdumpCapture implements PacketCapture {
  private static final Pattern COUNT =
      Pattern.compile("(\\d+) packets? (captured|received by filter|dropped by kernel)");

  private final Process process;
  private final Thread stderrReader;
  private volatile long captured;
  private volatile long received;
  private volatile long dropped;
  private volatile boolean listening;

  private TcpdumpCapture(Process process, Consumer<String> messages) {
    this.process = process;
    this.stderrReader = new Thread(() -> readStderr(messages), "tcpdump-stderr");
    stderrReader.setDaemon(true);
    stderrReader.start();
  }

  /**
   * Starts tcpdump on {@code iface} with an optional BPF {@code filter}.
   *
   * @param messages receives tcpdump's own messages (errors, "listening on ...")
   */
  public static TcpdumpCapture start(
      String tcpdump, String iface, String filter, Consumer<String> messages) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(tcpdump, "-i", iface, "-n", "-B", "65536", "-U", "-s", "0", "-w", "-"));
    if (filter != null && !filter.isBlank()) {
      command.add(filter);
    }
    return new TcpdumpCapture(new ProcessBuilder(command).start(), messages);
  }

  /** The pcap stream tcpdump writes. */
  public InputStream packets() {
    return process.getInputStream();
  }

  @Override
  public void deliver(Path source, CaptureListener listener) throws IOException {
    try (CaptureInput input = CaptureInput.stream(packets())) {
      PcapReader.read(source, input, listener);
    } catch (CaptureFormatException e) {
      // tcpdump wrote no pcap header: it could not open the interface and said why on stderr.
    }
  }

  @Override
  public String countersFrom() {
    return "tcpdump's last report";
  }

  /** True once tcpdump said it is listening: packets sent from then on are captured. */
  public boolean listening() {
    return listening;
  }

  /** Asks tcpdump for its counters (SIGUSR1); they arrive a moment later on its stderr. */
  @Override
  public void requestStatistics() {
    signal("USR1"); // if it fails there are no statistics this time; the capture goes on
  }

  /**
   * Sends tcpdump a signal with kill(1). Not {@link Process#destroy()}: that closes the pipes at
   * once, losing the packets and counters tcpdump writes as it stops.
   */
  private boolean signal(String name) {
    if (!process.isAlive()) {
      return true;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Packets tcpdump wrote, by its last report. */
  @Override
  public long captured() {
    return captured;
  }

  /** Packets the kernel's filter passed, by tcpdump's last report. */
  @Override
  public long received() {
    return received;
  }

  /** Packets the kernel dropped for want of buffer space, by tcpdump's last report. */
  @Override
  public long dropped() {
    return dropped;
  }

  /** Stops the capture (SIGTERM): tcpdump flushes what it holds, reports its counters and exits. */
  @Override
  public void stop() {
    if (!signal("TERM")) {
      process.destroy();
    }
  }

  /** Waits for tcpdump to exit and its last report to be read; returns its exit status. */
  @Override
  public int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    stderrReader.join(TimeUnit.SECONDS.toMillis(seconds));
    return process.exitValue();
  }

  /**
   * Kills tcpdump if it is still running (after {@link #stop()} and {@link #waitFor} it is not).
   */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private void readStderr(Consumer<String> messages) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Matcher m = COUNT.matcher(line);
        boolean counters = false;
        while (m.find()) {
          counters = true;
          long n = Long.parseLong(m.group(1));
          switch (m.group(2)) {
            case "captured" -> captured = n;
            case "received by filter" -> received = n;
            default -> dropped = n;
          }
        }
        if (!counters) {
          if (line.contains("listening on")) {
            listening = true;
          }
          messages.accept(line);
        }
      }
    } catch (IOException e) {
      messages.accept("tcpdump's messages cannot be read: " + e.getMessage());
    }
  }
}
