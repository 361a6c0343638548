package org.minewatch.cli.live;

import java.io.IOException;
import java.nio.file.Path;
import org.minewatch.capture.CaptureListener;

/**
 * A live packet source for {@code watch}: tcpdump's pcap stream ({@link TcpdumpCapture}) or the
 * kernel's memory-mapped ring ({@code PacketRing}, Java 22 or later). Counters are the kernel's, as
 * last reported: packets its filter passed and packets it dropped for want of buffer space.
 */
public interface PacketCapture extends AutoCloseable {

  /**
   * Hands every packet to {@code listener} on the calling thread until the capture stops (after
   * {@link #stop()}, with what the kernel still held) or fails. {@code source} names the interface
   * in fault reports.
   */
  void deliver(Path source, CaptureListener listener) throws IOException;

  /** Asks for fresh counters (they may arrive a moment later). Any thread. */
  void requestStatistics();

  /**
   * Stops the capture; {@link #deliver} returns once what was captured is delivered. Any thread.
   */
  void stop();

  /** Waits for the capture to end; returns its exit status (0: it ran and stopped cleanly). */
  int waitFor(long seconds) throws InterruptedException;

  /** Packets handed over by the capture, by its last report. */
  long captured();

  /** Packets the kernel's filter passed, by the last report. */
  long received();

  /** Packets the kernel dropped for want of buffer space, by the last report. */
  long dropped();

  /** Where the counters come from, for the statistics line ("tcpdump's last report"). */
  String countersFrom();

  @Override
  void close();
}
