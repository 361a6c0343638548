package org.minewatch.detect.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The HTTP head reader on arbitrary bytes (docs/fuzzing.md). Its contract: complete, incomplete or
 * not HTTP for any bytes, never an exception; a complete head's fields can be read, and the head
 * ends inside the bytes given.
 */
class HttpHeadFuzzTest {
  private final HttpHead head = new HttpHead();

  @FuzzTest(maxDuration = "20s")
  void head(byte[] data) {
    if (head.parse(data, 0, data.length) != HttpHead.Parse.COMPLETE) {
      return;
    }
    if (head.headEnd() < 4 || head.headEnd() > data.length) {
      throw new AssertionError("head ends at " + head.headEnd() + " of " + data.length);
    }
    head.hostHeader();
    head.userAgentHeader();
    head.isWebSocketUpgrade();
    head.method();
    head.target();
    head.targetPathEndsWith(".js", ".wasm");
  }
}
