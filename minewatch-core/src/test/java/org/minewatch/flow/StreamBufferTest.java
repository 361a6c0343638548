package org.minewatch.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamBufferTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(StreamBuffer b) {
    return new String(b.data(), 0, b.length(), StandardCharsets.US_ASCII);
  }

  @Test
  void consumingFromAnEmptyOrReleasedBufferDoesNothing() {
    // Found by fuzzing: consume before any data, or after release, threw a NullPointerException.
    StreamBuffer b = new StreamBuffer();
    b.consume(5);
    assertThat(b.length()).isZero();
    b.add(10, bytes("abc"), 0, 3);
    b.release();
    b.consume(2);
    assertThat(b.delivered()).isEqualTo(3);
    assertThat(b.add(13, bytes("de"), 0, 2)).isEqualTo(2);
    assertThat(new String(b.data(), 0, b.length(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("de");
  }

  @Test
  void inOrderSegmentsAreJoined() {
    StreamBuffer b = new StreamBuffer();
    b.synchronize(99);
    assertThat(b.add(100, bytes("hello "), 0, 6)).isEqualTo(6);
    assertThat(b.add(106, bytes("world"), 0, 5)).isEqualTo(5);
    assertThat(text(b)).isEqualTo("hello world");
  }

  @Test
  void retransmissionsAndOverlapsAddOnlyNewBytes() {
    StreamBuffer b = new StreamBuffer();
    b.add(1000, bytes("abcdef"), 0, 6);
    assertThat(b.add(1000, bytes("abcdef"), 0, 6)).isZero();
    assertThat(b.add(1003, bytes("defghi"), 0, 6)).isEqualTo(3);
    assertThat(text(b)).isEqualTo("abcdefghi");
  }

  @Test
  void outOfOrderSegmentsWaitForTheGap() {
    StreamBuffer b = new StreamBuffer();
    b.synchronize(0);
    assertThat(b.add(7, bytes("second"), 0, 6)).isZero();
    assertThat(b.add(13, bytes("third"), 0, 5)).isZero();
    assertThat(b.add(1, bytes("first "), 0, 6)).isEqualTo(17);
    assertThat(text(b)).isEqualTo("first secondthird");
  }

  @Test
  void sequenceNumbersWrapAround() {
    StreamBuffer b = new StreamBuffer();
    b.add(-3, bytes("abc"), 0, 3);
    b.add(0, bytes("def"), 0, 3);
    assertThat(text(b)).isEqualTo("abcdef");
  }

  @Test
  void aSegmentHalfTheSequenceSpaceAwayIsNotMistakenForNewBytes() {
    // Found by RobustnessTest: a flipped top bit makes the difference exactly -2^31.
    StreamBuffer b = new StreamBuffer();
    b.add(0x8000_0000, bytes("first"), 0, 5);
    assertThat(b.add(0x0000_0005 + 0, bytes("xxxxx"), 0, 5)).isZero();
    assertThat(text(b)).isEqualTo("first");
  }

  @Test
  void aHoleThatIsNeverFilledIsGivenUpAndCounted() {
    StreamBuffer b = new StreamBuffer();
    b.synchronize(0);
    byte[] chunk = new byte[1024];
    for (int i = 0; i < StreamBuffer.MAX_PENDING_SEGMENTS; i++) {
      b.add(1000 + i * 1024, chunk, 0, 1024);
    }
    assertThat(b.length()).isZero();
    b.add(1000 + 16 * 1024, bytes("tail"), 0, 4);
    assertThat(b.gaps()).isEqualTo(1);
    assertThat(text(b)).isEqualTo("tail");
  }

  @Test
  void consumeDropsUsedBytesAndCapacityIsBounded() {
    StreamBuffer b = new StreamBuffer();
    b.add(0, bytes("line1\nline2\n"), 0, 12);
    b.consume(6);
    assertThat(text(b)).isEqualTo("line2\n");
    assertThat(b.delivered()).isEqualTo(12);
    byte[] big = new byte[StreamBuffer.MAX_BYTES + 100];
    b.add(12, big, 0, big.length);
    assertThat(b.length()).isEqualTo(StreamBuffer.MAX_BYTES);
    assertThat(b.full()).isTrue();
    assertThat(b.gaps()).isEqualTo(1);
  }
}
