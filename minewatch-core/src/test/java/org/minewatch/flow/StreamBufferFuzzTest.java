package org.minewatch.flow;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * TCP reassembly on arbitrary segment sequences (docs/fuzzing.md): retransmitted, overlapping, out
 * of order, wrapping around 2^32, consumed and released in between. Its contract: it never throws,
 * never holds more than its bounds, and counts what it delivers without going back.
 */
class StreamBufferFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void segments(FuzzedDataProvider data) {
    StreamBuffer s = new StreamBuffer();
    int base = data.consumeInt();
    if (data.consumeBoolean()) {
      s.synchronize(base);
    }
    long delivered = 0;
    while (data.remainingBytes() > 0) {
      switch (data.consumeInt(0, 9)) {
        case 0 -> s.consume(data.consumeInt(-4, StreamBuffer.MAX_BYTES + 4));
        case 1 -> {
          if (data.consumeInt(0, 7) == 0) {
            s.release();
          }
        }
        default -> {
          // Mostly near the stream's start, sometimes anywhere in the sequence space.
          int seq =
              data.consumeBoolean() ? base + data.consumeInt(-2048, 40_000) : data.consumeInt();
          int length = data.consumeInt(0, 20_000);
          byte[] payload = data.consumeBytes(length);
          int lead = payload.length == 0 ? 0 : data.consumeInt(0, payload.length);
          int before = s.length();
          int added = s.add(seq, payload, lead, payload.length - lead);
          // A segment that fills a hole also releases the segments held behind it: more than its
          // own bytes.
          if (added < 0 || added != s.length() - before) {
            throw new AssertionError(
                "add made "
                    + added
                    + " bytes available, the buffer grew by "
                    + (s.length() - before));
          }
        }
      }
      if (s.length() < 0 || s.length() > StreamBuffer.MAX_BYTES || s.delivered() < delivered) {
        throw new AssertionError(
            "length " + s.length() + ", delivered " + s.delivered() + " after " + delivered);
      }
      if (s.length() > 0 && (s.data() == null || s.data().length < s.length())) {
        throw new AssertionError("length " + s.length() + " beyond the buffer");
      }
      delivered = s.delivered();
    }
  }
}
