package org.minewatch.cli.push;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.minewatch.cli.push.PushClient.Answer;
import org.minewatch.cli.push.PushClient.Counts;
import org.minewatch.cli.push.PushClient.Kind;

/** What each of the server's answers means for a batch. */
class PushClientTest {
  @Test
  void answers() {
    Answer ok =
        PushClient.interpret(
            200, "{\"received\":8,\"created\":5,\"updated\":2,\"unchanged\":1}", null);
    assertThat(ok.kind()).isEqualTo(Kind.ACCEPTED);
    assertThat(ok.counts()).isEqualTo(new Counts(8, 5, 2, 1));

    Answer refused = PushClient.interpret(400, "{\"error\":\"malformed JSON\",\"line\":7}", null);
    assertThat(refused.kind()).isEqualTo(Kind.REFUSED);
    assertThat(refused.line()).isEqualTo(7);
    assertThat(refused.message()).isEqualTo("malformed JSON");

    // The line named only in the text, as minewatch serve words it: taken from there, said once.
    Answer named =
        PushClient.interpret(
            400,
            "{\"error\":\"host: \\\"bad\\\" is not an IP address (line 3)\",\"field\":\"host\"}",
            null);
    assertThat(named.line()).isEqualTo(3);
    assertThat(named.message()).isEqualTo("host: \"bad\" is not an IP address");
    Answer leading = PushClient.interpret(400, "{\"error\":\"line 12: not valid JSON\"}", null);
    assertThat(leading.line()).isEqualTo(12);
    assertThat(leading.message()).isEqualTo("not valid JSON");

    assertThat(PushClient.interpret(401, "{\"error\":\"sign in first\"}", null).kind())
        .isEqualTo(Kind.FATAL);
    assertThat(PushClient.interpret(403, "", null).message())
        .isEqualTo("the token's role may not send findings (403)");
    assertThat(PushClient.interpret(404, "Not found", null).message())
        .isEqualTo("no MineWatch ingest at this URL (404): Not found");
    assertThat(PushClient.interpret(413, "", null).kind()).isEqualTo(Kind.TOO_LARGE);
    for (int status : new int[] {429, 500, 502, 503, 504}) {
      assertThat(PushClient.interpret(status, "", null).kind())
          .as("%d", status)
          .isEqualTo(Kind.RETRY);
    }
    assertThat(PushClient.interpret(503, "<html>down</html>", "120").retryAfterSeconds())
        .hasValue(120);
  }
}
