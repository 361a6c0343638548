package org.minewatch.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** DNS messages as a resolver and its client exchange them, for generated traffic. */
public final class DnsMessages {
  private DnsMessages() {}

  /**
   * A query for {@code name} (recursion desired), or, where {@code address} (four octets) is given,
   * its answer with one A record of a minute's lifetime.
   */
  public static byte[] of(String name, int[] address) {
    boolean answer = address != null;
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(
        new byte[] {
          0x4d,
          0x57,
          (byte) (answer ? 0x81 : 0x01),
          (byte) (answer ? 0x80 : 0x00),
          0,
          1,
          0,
          (byte) (answer ? 1 : 0),
          0,
          0,
          0,
          0
        });
    for (String label : name.split("\\.")) {
      m.write(label.length());
      m.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    m.writeBytes(new byte[] {0, 0, 1, 0, 1});
    if (answer) {
      m.writeBytes(
          new byte[] {
            (byte) 0xc0,
            12,
            0,
            1,
            0,
            1,
            0,
            0,
            0,
            60,
            0,
            4,
            (byte) address[0],
            (byte) address[1],
            (byte) address[2],
            (byte) address[3]
          });
    }
    return m.toByteArray();
  }
}
