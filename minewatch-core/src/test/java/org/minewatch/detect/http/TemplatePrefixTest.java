package org.minewatch.detect.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatePrefixTest {
  private static TemplatePrefix read(String body, int piece) {
    byte[] b = body.getBytes(StandardCharsets.US_ASCII);
    TemplatePrefix p = new TemplatePrefix();
    for (int at = 0; at < b.length; at += piece) {
      p.feed(b, at, Math.min(b.length, at + piece));
    }
    return p;
  }

  @Test
  void theResultsMembersAreReadWhateverThePiecesTheyArriveIn() {
    String body =
        "{\"error\":null,\"result\":{\"bits\":\"17053894\",\"curtime\":1690168629,"
            + "\"previousblockhash\":\"00000000000000000002a7c4\",\"transactions\":[";
    for (int piece : new int[] {1, 7, body.length()}) {
      TemplatePrefix p = read(body, piece);
      assertThat(p.members())
          .as("pieces of %d bytes", piece)
          .isEqualTo(
              Map.of(
                  "bits",
                  "17053894",
                  "curtime",
                  1690168629L,
                  "previousblockhash",
                  "00000000000000000002a7c4"));
      assertThat(p.done()).isTrue();
    }
  }

  @Test
  void aValueCutAtTheEndIsNotRead() {
    // The string and the number have no end yet: neither is read, nor guessed.
    TemplatePrefix p = read("{\"result\":{\"curtime\":16901", 5);
    assertThat(p.members()).isEmpty();
    assertThat(p.done()).isFalse();
    p = read("{\"result\":{\"previousblockhash\":\"0000000000000000", 5);
    assertThat(p.members()).isEmpty();
  }

  @Test
  void onlyTheResultsOwnMembersCount() {
    TemplatePrefix p =
        read(
            "{\"bits\":\"1d00ffff\",\"result\":{\"transactions\":[{\"bits\":\"1c00ffff\","
                + "\"curtime\":5}],\"coinbaseaux\":{\"previousblockhash\":\"ff\"},"
                + "\"previousblockhash\":\"ab\"},\"id\":1}",
            3);
    assertThat(p.members()).isEqualTo(Map.of("previousblockhash", "ab"));
    assertThat(p.done()).as("the result object ended").isTrue();
  }

  @Test
  void aBodyThatIsNoJsonObjectGivesNothing() {
    assertThat(read("<html><body>{\"result\":{\"bits\":\"17053894\"}}", 4).members()).isEmpty();
    assertThat(read("[{\"result\":{\"bits\":\"17053894\"}}]", 4).members()).isEmpty();
    // Well-formed up to a member, then broken: what was read before does not count either.
    TemplatePrefix broken = read("{\"result\":{\"bits\":\"17053894\",,\"curtime\":1}", 4);
    assertThat(broken.members()).isEmpty();
    assertThat(broken.done()).isTrue();
  }
}
