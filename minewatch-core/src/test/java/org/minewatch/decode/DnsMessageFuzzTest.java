package org.minewatch.decode;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The DNS reader on arbitrary datagrams (docs/fuzzing.md). Its contract: a message that cannot be
 * read is {@link DnsMessage.Malformed}, nothing else; what it reads, it reads whole.
 */
class DnsMessageFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void message(byte[] data) {
    String first = null;
    try {
      first = DnsMessage.firstQuestion(data, 0, data.length);
    } catch (DnsMessage.Malformed e) {
      // documented
    }
    try {
      DnsMessage m = DnsMessage.parse(data, 0, data.length);
      if (first != null && !m.questions().isEmpty() && !m.questions().get(0).equals(first)) {
        throw new AssertionError(
            "first question " + first + " but the message reads " + m.questions());
      }
    } catch (DnsMessage.Malformed e) {
      // documented
    }
  }
}
