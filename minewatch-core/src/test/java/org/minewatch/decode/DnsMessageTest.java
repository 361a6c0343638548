package org.minewatch.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class DnsMessageTest {
  /**
   * A response for pool.supportxmr.com: a CNAME, then an A record whose owner is a compression
   * pointer.
   */
  static byte[] response() {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(new byte[] {0x12, 0x34, (byte) 0x81, (byte) 0x80, 0, 1, 0, 2, 0, 0, 0, 0});
    m.writeBytes(
        new byte[] {
          4, 'p', 'o', 'o', 'l', 10, 's', 'u', 'p', 'p', 'o', 'r', 't', 'x', 'm', 'r', 3, 'c', 'o',
          'm', 0, 0, 1, 0, 1
        });
    // Answer 1: name -> pointer to offset 12; CNAME to "eu.pool.supportxmr.com" (label + pointer to
    // 12).
    m.writeBytes(
        new byte[] {(byte) 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 5, 2, 'e', 'u', (byte) 0xc0, 12});
    // Answer 2: owner is the CNAME target (pointer to its offset), A 203.0.113.9.
    int cnameAt = 12 + 25 + 12;
    m.writeBytes(
        new byte[] {
          (byte) 0xc0, (byte) cnameAt, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, (byte) 203, 0, 113, 9
        });
    return m.toByteArray();
  }

  @Test
  void readsQuestionsAndAnswersThroughCompressionPointers() throws Exception {
    byte[] b = response();
    DnsMessage m = DnsMessage.parse(b, 0, b.length);
    assertThat(m.response()).isTrue();
    assertThat(m.id()).isEqualTo(0x1234);
    assertThat(m.questions()).containsExactly("pool.supportxmr.com");
    assertThat(m.answers())
        .extracting(
            DnsMessage.Answer::name, a -> String.valueOf(a.address()), DnsMessage.Answer::cname)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "pool.supportxmr.com", "null", "eu.pool.supportxmr.com"),
            org.assertj.core.groups.Tuple.tuple("eu.pool.supportxmr.com", "203.0.113.9", null));
  }

  @Test
  void truncatedAndLoopingMessagesAreMalformed() {
    byte[] b = response();
    for (int cut : new int[] {5, 20, 40, b.length - 1}) {
      assertThatThrownBy(() -> DnsMessage.parse(b, 0, cut))
          .isInstanceOf(DnsMessage.Malformed.class);
    }
    byte[] loop = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};
    assertThatThrownBy(() -> DnsMessage.parse(loop, 0, loop.length))
        .isInstanceOf(DnsMessage.Malformed.class)
        .hasMessage("compression pointer loop or forward pointer");
    byte[] noQuestion = {0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assertThatThrownBy(() -> DnsMessage.parse(noQuestion, 0, noQuestion.length))
        .hasMessage("implausible record counts");
  }
}
