package org.minewatch.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The two ways of getting a capture's bytes into a heap array that were weighed for {@code
 * CaptureInput}: 256 KiB positional reads, and 64 MiB mapped windows copied out in 256 KiB chunks.
 * Copy only, no parsing.
 *
 * <p>Run: {@code taskset -c 0 java -XX:TieredStopAtLevel=1 -cp
 * minewatch-benchmarks/target/benchmarks.jar org.minewatch.benchmarks.ReadPaths FILE}
 */
public final class ReadPaths {
  private static final int CHUNK = 256 << 10;
  private static final long WINDOW = 64L << 20;

  private ReadPaths() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    long sink = 0;
    for (int round = 0; round < 4; round++) {
      long t0 = System.nanoTime();
      try (FileChannel c = FileChannel.open(file)) {
        ByteBuffer b = ByteBuffer.allocate(CHUNK);
        long pos = 0;
        int n;
        while ((n = c.read(b, pos)) > 0) {
          pos += n;
          sink += b.get(0);
          b.clear();
        }
      }
      long t1 = System.nanoTime();
      try (FileChannel c = FileChannel.open(file)) {
        long size = c.size();
        byte[] array = new byte[CHUNK];
        for (long w = 0; w < size; w += WINDOW) {
          long len = Math.min(WINDOW, size - w);
          MappedByteBuffer m = c.map(FileChannel.MapMode.READ_ONLY, w, len);
          for (int o = 0; o < len; o += CHUNK) {
            int k = (int) Math.min(CHUNK, len - o);
            m.get(o, array, 0, k);
            sink += array[0];
          }
        }
      }
      long t2 = System.nanoTime();
      System.out.printf(
          "256 KiB reads %.2f s, mapped windows copied out %.2f s%n",
          (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}
