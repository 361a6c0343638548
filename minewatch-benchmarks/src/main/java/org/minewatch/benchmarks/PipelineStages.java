package org.minewatch.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.minewatch.capture.CaptureFile;
import org.minewatch.capture.CaptureListener;
import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.decode.PacketDecoder;
import org.minewatch.flow.FlowTable;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;

/**
 * Times the pipeline's stages cumulatively on one capture, each a whole pass over the file: reading
 * records; reading and decoding; reading, decoding and the flow table (a scan that detects
 * nothing); and the whole scan ({@link Scanner}, one thread). Each pass is timed by the CPU time of
 * the thread that runs it, which other programs on the machine inflate far less than wall time; the
 * first round includes class loading and warm-up and is left out of the medians.
 *
 * <p>Run: {@code taskset -c 0 java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp
 * minewatch-benchmarks/target/benchmarks.jar org.minewatch.benchmarks.PipelineStages FILE [ROUNDS]}
 * (default 4 rounds).
 */
public final class PipelineStages {
  private static long sink;

  private PipelineStages() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    String[] names = {"read", "read + decode", "read + decode + flow table", "whole scan"};
    double[][] cpu = new double[names.length][rounds];
    DecodedPacket d = new DecodedPacket();
    for (int round = 0; round < rounds; round++) {
      long c0 = threadCpu();
      CaptureFile.read(file, listener(p -> sink += p.capturedLength()));
      long c1 = threadCpu();
      CaptureFile.read(
          file,
          listener(
              p -> {
                PacketDecoder.decode(p, d);
                sink += d.srcPort();
              }));
      long c2 = threadCpu();
      FlowTable table = new FlowTable((f, why) -> {});
      CaptureFile.read(
          file,
          listener(
              p -> {
                PacketDecoder.decode(p, d);
                if (d.status() == DecodedPacket.Status.TRANSPORT) {
                  sink += table.track(d).packets();
                }
              }));
      long c3 = threadCpu();
      sink += new Scanner(ScanReporter.SILENT).scan(List.of(file)).stats().packets();
      long c4 = threadCpu();
      long[] marks = {c0, c1, c2, c3, c4};
      for (int stage = 0; stage < names.length; stage++) {
        cpu[stage][round] = (marks[stage + 1] - marks[stage]) / 1e9;
      }
      System.out.printf(
          "round %d: read %.3f s, + decode %.3f s, + flow table %.3f s, whole scan %.3f s (CPU)%n",
          round + 1, cpu[0][round], cpu[1][round], cpu[2][round], cpu[3][round]);
    }
    if (rounds > 1) {
      double whole = median(cpu[names.length - 1]);
      for (int stage = 0; stage < names.length; stage++) {
        double m = median(cpu[stage]);
        System.out.printf(
            "%-28s median %.3f s CPU of rounds 2-%d, %3.0f%% of the whole scan%n",
            names[stage], m, rounds, 100 * m / whole);
      }
    }
    if (sink == 42) {
      System.out.println();
    }
  }

  /** The median of all rounds but the first (warm-up). */
  private static double median(double[] perRound) {
    double[] later = Arrays.copyOfRange(perRound, 1, perRound.length);
    Arrays.sort(later);
    int n = later.length;
    return n % 2 == 1 ? later[n / 2] : (later[n / 2 - 1] + later[n / 2]) / 2;
  }

  private static long threadCpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static CaptureListener listener(java.util.function.Consumer<Packet> each) {
    return new CaptureListener() {
      @Override
      public void packet(Packet p) {
        each.accept(p);
      }

      @Override
      public void malformedRecord(Path f, long record, long offset, String reason) {
        // counted by nobody here
      }
    };
  }
}
