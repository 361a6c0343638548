package org.minewatch.benchmarks;

import static org.minewatch.testkit.ExportMessages.ipfix;
import static org.minewatch.testkit.ExportMessages.set;
import static org.minewatch.testkit.ExportMessages.template;

import org.minewatch.flowrecord.ExportDecoder;
import org.minewatch.flowrecord.ExportFormatException;

/**
 * Measures the heap a decoder's bounded state takes at its default limits, filled to them: 200,000
 * IPFIX templates of 64 fields (the average the field budget allows) from 64 exporter addresses,
 * each in an observation domain and exporter port of its own, so that the template and stream limits
 * are both reached. With {@code enterprise}, every field carries an enterprise number (the costliest
 * template per field).
 *
 * <p>Run: {@code java -Xmx1g -XX:+UseSerialGC -cp minewatch-benchmarks/target/benchmarks.jar
 * org.minewatch.benchmarks.TemplateMemory [plain|enterprise]}
 */
public final class TemplateMemory {
  private TemplateMemory() {}

  public static void main(String[] args) throws ExportFormatException {
    boolean enterprise = args.length > 0 && args[0].equals("enterprise");
    int fields = 64;
    long[] pairs = new long[fields * 2];
    for (int i = 0; i < fields; i++) {
      pairs[2 * i] = enterprise ? 9L << 16 | 100 + i : 100 + i;
      pairs[2 * i + 1] = 4;
    }
    byte[] m = ipfix(1_636_334_220L, 0, 0, set(2, template(256, pairs)));
    ExportDecoder decoder = new ExportDecoder();
    long before = used();
    for (int n = 0; n < 200_000; n++) {
      int domain = n / 60_000;
      int id = 256 + n % 60_000;
      m[12] = (byte) (domain >>> 24);
      m[13] = (byte) (domain >>> 16);
      m[14] = (byte) (domain >>> 8);
      m[15] = (byte) domain;
      m[20] = (byte) (id >>> 8);
      m[21] = (byte) id;
      String address = "198.51." + n % 64 + ".1";
      decoder.decode(address + ":" + (1024 + n), address, m, 0, m.length, r -> { });
    }
    long after = used();
    System.out.printf("%s fields: %,d templates of %d fields held (%,d evicted), %,d streams forgotten; heap %.1f MB%n",
        enterprise ? "enterprise" : "plain", decoder.templates(), fields, decoder.templatesEvicted(),
        decoder.streamsForgotten(), (after - before) / 1e6);
  }

  private static long used() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
