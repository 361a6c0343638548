package org.minewatch.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import org.minewatch.capture.CaptureFile;
import org.minewatch.capture.CaptureListener;
import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.decode.PacketDecoder;
import org.minewatch.flow.FlowTable;

/**
 * Times the pipeline's stages cumulatively on one capture: reading records, plus decoding, plus the
 * flow table (the full scan is {@link ScanPasses}).
 *
 * <p>Run: {@code taskset -c 0 java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp
 * minewatch-benchmarks/target/benchmarks.jar org.minewatch.benchmarks.PipelineStages FILE}
 */
public final class PipelineStages {
  private static long sink;

  private PipelineStages() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    DecodedPacket d = new DecodedPacket();
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      CaptureFile.read(file, listener(p -> sink += p.capturedLength()));
      long t1 = System.nanoTime();
      CaptureFile.read(
          file,
          listener(
              p -> {
                PacketDecoder.decode(p, d);
                sink += d.srcPort();
              }));
      long t2 = System.nanoTime();
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
      long t3 = System.nanoTime();
      System.out.printf(
          "read %.2f s, + decode %.2f s, + flow table %.2f s%n",
          (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    }
    if (sink == 42) {
      System.out.println();
    }
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
