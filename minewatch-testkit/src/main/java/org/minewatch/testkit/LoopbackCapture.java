package org.minewatch.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's tcpdump capturing on loopback into a file, for the recorders of real sessions. */
public final class LoopbackCapture {
  private LoopbackCapture() {}

  /** tcpdump's path, or null where it is not installed. */
  public static String tcpdump() {
    for (String t : List.of("/usr/sbin/tcpdump", "/usr/bin/tcpdump")) {
      if (Files.isExecutable(Path.of(t))) {
        return t;
      }
    }
    return null;
  }

  /**
   * Starts tcpdump writing the packets {@code filter} passes to {@code capture}, each written at
   * once and whole, its messages in {@code log}; returns once it listens (at most 10 s).
   *
   * @throws IOException naming what tcpdump said, if it is missing or does not start
   */
  public static Process start(Path capture, String filter, Path log)
      throws IOException, InterruptedException {
    String tcpdump = tcpdump();
    if (tcpdump == null) {
      throw new IOException("tcpdump is missing (Debian package tcpdump)");
    }
    Process p =
        new ProcessBuilder(tcpdump, "-i", "lo", "-U", "-s", "0", "-w", capture.toString(), filter)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        if (Files.readString(log).contains("listening on")) {
          return p;
        }
        if (!p.isAlive()) {
          break;
        }
        Thread.sleep(20);
      }
      throw new IOException("tcpdump did not start: " + Files.readString(log).trim());
    } catch (IOException | InterruptedException | RuntimeException e) {
      p.destroyForcibly(); // never left capturing when the caller gets no process to stop
      throw e;
    }
  }
}
