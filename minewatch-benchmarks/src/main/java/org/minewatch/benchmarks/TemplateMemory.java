package org.minewatch.benchmarks;

import org.minewatch.flowrecord.ExportDecoder;
import org.minewatch.flowrecord.ExportFormatException;
import org.minewatch.testkit.ExportMessages;

/**
 * Measures the heap a decoder's bounded state takes at its default limits, filled to them: 200,000
 * IPFIX templates of 64 fields (the average the field budget allows) from 64 exporter addresses,
 * each in an observation domain and exporter port of its own, so that the template and stream
 * limits are both reached. With {@code enterprise}, every field carries an enterprise number (the
 * costliest template per field).
 *
 * <p>Run: {@code java -Xmx1g -XX:+UseSerialGC -cp minewatch-benchmarks/target/benchmarks.jar
 * org.minewatch.benchmarks.TemplateMemory [plain|enterprise]}
 */
public final class TemplateMemory {
  private TemplateMemory() {}

  public static void main(String[] args) throws ExportFormatException {
    boolean enterprise = args.length > 0 && args[0].equals("enterprise");
    int fields = 64;
    byte[] m = ExportMessages.floodTemplate(1_636_334_220L, fields, enterprise ? 9 : 0);
    ExportDecoder decoder = new ExportDecoder();
    long before = used();
    for (int n = 0; n < 200_000; n++) {
      ExportMessages.redefine(m, n);
      String address = "198.51." + n % 64 + ".1";
      decoder.decode(address + ":" + (1024 + n), address, m, 0, m.length, r -> {});
    }
    long after = used();
    System.out.printf(
        "%s fields: %,d templates of %d fields held (%,d evicted), %,d streams forgotten; heap %.1f MB%n",
        enterprise ? "enterprise" : "plain",
        decoder.templates(),
        fields,
        decoder.templatesEvicted(),
        decoder.streamsForgotten(),
        (after - before) / 1e6);
  }

  private static long used() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
