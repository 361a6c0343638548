package org.minewatch.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;

/**
 * Scans one capture several times in one JVM and prints, per pass, the CPU time of the reading
 * thread and of the worker threads of {@code scan --threads N}. On a machine that other programs
 * share, wall time says little about a parallel scan; each thread's CPU time says how long each
 * would take on a core of its own (the largest is the scan's critical path) and their sum what the
 * parallel scan costs against one thread (docs/benchmarks.md).
 *
 * <p>Run: {@code java -XX:+UseSerialGC -cp minewatch-benchmarks/target/benchmarks.jar
 * org.minewatch.benchmarks.ScanThreadCpu FILE PASSES THREADS}. Workers end with each pass, so their
 * CPU time is polled every 2 ms: a poller that costs about 1% of a core.
 */
public final class ScanThreadCpu {
  private ScanThreadCpu() {}

  public static void main(String[] args) throws InterruptedException {
    Path file = Path.of(args[0]);
    int passes = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new ConcurrentHashMap<>();
    Map<Long, String> names = new ConcurrentHashMap<>();
    Thread poller =
        new Thread(
            () -> {
              while (true) {
                for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
                  long c = t == null ? -1 : mx.getThreadCpuTime(t.getThreadId());
                  if (c > 0) {
                    cpu.put(t.getThreadId(), c);
                    names.put(t.getThreadId(), t.getThreadName());
                  }
                }
                try {
                  Thread.sleep(2);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    poller.setDaemon(true);
    poller.start();
    for (int i = 1; i <= passes; i++) {
      Map<Long, Long> before = new HashMap<>(cpu);
      long reader0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      new Scanner(ScanReporter.SILENT).threads(threads).scan(List.of(file));
      long wall = System.nanoTime() - t0;
      long reader = mx.getCurrentThreadCpuTime() - reader0;
      Thread.sleep(20); // the last poll after the workers' end
      long workers = 0;
      long slowest = 0;
      for (Map.Entry<Long, Long> e : cpu.entrySet()) {
        if (names.getOrDefault(e.getKey(), "").startsWith("minewatch-scan-")) {
          long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
          workers += used;
          slowest = Math.max(slowest, used);
        }
      }
      System.out.printf(
          "pass %d: wall %.3f s, CPU s: reading thread %.3f, workers %.3f (slowest %.3f),"
              + " sum %.3f%n",
          i, wall / 1e9, reader / 1e9, workers / 1e9, slowest / 1e9, (reader + workers) / 1e9);
    }
  }
}
