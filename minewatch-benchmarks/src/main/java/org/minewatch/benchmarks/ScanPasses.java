package org.minewatch.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;

/**
 * Scans one capture several times in one JVM: the first pass includes class loading and JIT
 * warm-up, the later passes are the steady state (docs/benchmarks.md). Besides wall time it reports
 * the process's CPU time per pass (garbage collection and JIT threads included), which another
 * program running on the same core does not inflate as it does wall time, and the heap bytes the
 * last pass allocated.
 *
 * <p>Run: {@code taskset -c 0 java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp
 * minewatch-benchmarks/target/benchmarks.jar org.minewatch.benchmarks.ScanPasses FILE [PASSES
 * [THREADS]]}: THREADS as {@code scan --threads} (default 1).
 */
public final class ScanPasses {
  private ScanPasses() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    double[] wall = new double[passes];
    double[] cpu = new double[passes];
    long[] allocated = new long[passes];
    for (int i = 0; i < passes; i++) {
      long a0 = allocatedBytes();
      long c0 = processCpuNanos();
      long t0 = System.nanoTime();
      new Scanner(ScanReporter.SILENT).threads(threads).scan(List.of(file));
      wall[i] = (System.nanoTime() - t0) / 1e9;
      cpu[i] = (processCpuNanos() - c0) / 1e9;
      allocated[i] = allocatedBytes() - a0;
    }
    System.out.printf("first %.2f s (CPU %.2f s)", wall[0], cpu[0]);
    if (passes > 1) {
      double[] w = Arrays.copyOfRange(wall, 1, passes);
      double[] c = Arrays.copyOfRange(cpu, 1, passes);
      Arrays.sort(w);
      Arrays.sort(c);
      System.out.printf(
          ", fastest later pass %.2f s; later passes: wall median %.3f s, CPU median %.3f s"
              + " (%.3f-%.3f), allocated %.1f MB",
          w[0], median(w), median(c), c[0], c[c.length - 1], allocated[passes - 1] / 1e6);
    }
    System.out.println();
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Bytes allocated on the heap by all threads so far. */
  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getTotalThreadAllocatedBytes();
  }

  /** CPU time of the whole process: all its threads, the JVM's own included. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
