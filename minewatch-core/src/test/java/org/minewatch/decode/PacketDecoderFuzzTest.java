package org.minewatch.decode;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.minewatch.capture.LinkType;
import org.minewatch.capture.Packet;

/**
 * The packet decoder on arbitrary frames of every link type it reads (docs/fuzzing.md). Its
 * contract: it never throws; a bad header is {@code MALFORMED} with a reason; a decoded payload
 * lies inside the captured bytes.
 */
class PacketDecoderFuzzTest {
  private static final int[] LINKS = {
    LinkType.ETHERNET,
    LinkType.LINUX_SLL,
    LinkType.LINUX_SLL2,
    LinkType.RAW,
    LinkType.RAW_ALT_12,
    LinkType.RAW_ALT_14,
    LinkType.NULL,
    LinkType.LOOP,
    LinkType.IPV4,
    LinkType.IPV6
  };
  private final DecodedPacket out = new DecodedPacket();

  @FuzzTest(maxDuration = "20s")
  void decode(FuzzedDataProvider data) {
    int link = data.pickValue(LINKS);
    int lead = data.consumeInt(0, 16);
    int wireExtra = data.consumeInt(0, 64);
    byte[] frame = data.consumeRemainingAsBytes();
    // The frame sits inside a larger buffer, as in a reader's array: no decoder may read past it.
    byte[] buffer = new byte[lead + frame.length + 16];
    System.arraycopy(frame, 0, buffer, lead, frame.length);
    java.util.Arrays.fill(buffer, lead + frame.length, buffer.length, (byte) 0x45);
    PacketDecoder.decode(
        Packet.of(buffer, lead, frame.length, frame.length + wireExtra, 0, link), out);
    if (out.status() == null) {
      throw new AssertionError("no status");
    }
    if (out.status() == DecodedPacket.Status.MALFORMED && out.problem() == null) {
      throw new AssertionError("malformed without a reason");
    }
    if (out.status() == DecodedPacket.Status.TRANSPORT
        && (out.payloadLength() < 0
            || out.payloadOffset() < lead
            || out.payloadOffset() + out.payloadLength() > lead + frame.length)) {
      throw new AssertionError(
          "payload ["
              + out.payloadOffset()
              + ", +"
              + out.payloadLength()
              + ") outside the frame ["
              + lead
              + ", "
              + (lead + frame.length)
              + ")");
    }
  }
}
