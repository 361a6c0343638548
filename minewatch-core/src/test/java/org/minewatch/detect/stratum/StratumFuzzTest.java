package org.minewatch.detect.stratum;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The JSON framer and the Stratum grammar on arbitrary bytes (docs/fuzzing.md), walked as the
 * Stratum detector walks a stream: message, resynchronise at the next line after bytes that are not
 * JSON, stop where a message is incomplete. Its contract: no exception, and the walk always moves
 * forward.
 */
class StratumFuzzTest {
  private final JsonMessages messages = new JsonMessages();

  @FuzzTest(maxDuration = "20s")
  void messages(byte[] data) {
    messages.reset(data, 0, data.length);
    while (true) {
      int before = messages.position();
      JsonMessages.Step step = messages.next();
      if (step == JsonMessages.Step.MESSAGE) {
        if (messages.position() <= before || messages.position() > data.length) {
          throw new AssertionError("message from " + before + " ends at " + messages.position());
        }
        StratumGrammar.recognise(messages.value, false);
        StratumGrammar.recognise(messages.value, true);
      } else if (step != JsonMessages.Step.NOT_JSON || !messages.skipLine()) {
        return;
      }
    }
  }
}
