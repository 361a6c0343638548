package org.minewatch.detect.web;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The WebSocket frame reader on arbitrary bytes (docs/fuzzing.md), frame after frame as the
 * web-miner detector reads a stream. Its contract: a frame, incomplete or invalid, never an
 * exception; each frame ends after it starts and inside the bytes given.
 */
class WebSocketFramesFuzzTest {
  private final WebSocketFrames frames = new WebSocketFrames();

  @FuzzTest(maxDuration = "20s")
  void frames(byte[] data) {
    int at = 0;
    while (frames.read(data, at, data.length) == WebSocketFrames.Read.FRAME) {
      if (frames.next <= at
          || frames.next > data.length
          || frames.payloadLength > WebSocketFrames.MAX_PAYLOAD) {
        throw new AssertionError(
            "frame at " + at + " ends at " + frames.next + " of " + data.length);
      }
      at = frames.next;
    }
  }
}
