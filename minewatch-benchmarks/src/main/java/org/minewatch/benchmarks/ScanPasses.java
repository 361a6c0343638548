package org.minewatch.benchmarks;

import java.nio.file.Path;
import java.util.List;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;

/**
 * Scans one capture several times in one JVM: the first pass includes class loading and JIT
 * warm-up, the fastest later pass is the steady state (docs/benchmarks.md).
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
    double first = 0;
    double best = Double.MAX_VALUE;
    for (int i = 0; i < passes; i++) {
      long t0 = System.nanoTime();
      new Scanner(ScanReporter.SILENT).threads(threads).scan(List.of(file));
      double s = (System.nanoTime() - t0) / 1e9;
      if (i == 0) {
        first = s;
      } else {
        best = Math.min(best, s);
      }
    }
    System.out.printf("first %.2f s, fastest later pass %.2f s%n", first, best);
  }
}
