package org.minewatch.detect.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where a head ends and what it says, including heads cut short or malformed. */
class HttpHeadTest {
  private final HttpHead head = new HttpHead();

  private HttpHead.Parse parse(String text) {
    byte[] b = ("xx" + text).getBytes(StandardCharsets.ISO_8859_1);
    return head.parse(b, 2, b.length); // not at the start of the array
  }

  @Test
  void aRequestHeadGivesItsHeadersAndWhereItsBodyStarts() {
    String h =
        "POST /rpc HTTP/1.1\r\nHost:  pool.example.org:8332 \r\nAccept: */*\r\n"
            + "User-Agent: cgminer/4.10\r\nContent-Length: 2\r\nX-Mining-Extensions: midstate\r\n\r\n{}";
    assertThat(parse(h)).isEqualTo(HttpHead.Parse.COMPLETE);
    assertThat(head.isRequest()).isTrue();
    assertThat(head.method()).isEqualTo("POST");
    assertThat(head.target()).isEqualTo("/rpc");
    assertThat(head.hostHeader()).isEqualTo("pool.example.org:8332");
    assertThat(head.userAgentHeader()).isEqualTo("cgminer/4.10");
    assertThat(head.minerAgent()).isTrue();
    assertThat(head.contentLength).isEqualTo(2);
    assertThat(head.miningHeaders).hasToString("X-Mining-Extensions: midstate");
    assertThat(head.headEnd()).isEqualTo(2 + h.length() - 2);
  }

  @Test
  void theLastOfARepeatedHeaderCountsAndAnAbsentOneIsNull() {
    assertThat(parse("GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n"))
        .isEqualTo(HttpHead.Parse.COMPLETE);
    assertThat(head.hostHeader()).isEqualTo("b.example");
    assertThat(head.userAgentHeader()).isNull();
    assertThat(parse("HTTP/1.1 200 OK\r\nUser-Agent: x\r\n\r\n"))
        .isEqualTo(HttpHead.Parse.COMPLETE);
    assertThat(head.isRequest()).isFalse();
    assertThat(head.hostHeader()).isNull(); // nothing left over from the head before
    assertThat(head.userAgentHeader()).isEqualTo("x");
  }

  @Test
  void aHeadWithoutItsEmptyLineIsIncompleteEvenWhenALineIsNotHttp() {
    assertThat(parse("GET / HTTP/1.1\r\nHost: a\r\n")).isEqualTo(HttpHead.Parse.INCOMPLETE);
    assertThat(parse("GET / HTTP/1.1\r\nHost: a\r\n\r")).isEqualTo(HttpHead.Parse.INCOMPLETE);
    // A start line without a version: not HTTP, but only said once the head is complete.
    assertThat(parse("GET /\r\nHost: a\r\n")).isEqualTo(HttpHead.Parse.INCOMPLETE);
    assertThat(parse("GET /\r\nHost: a\r\n\r\n")).isEqualTo(HttpHead.Parse.NOT_HTTP);
    assertThat(parse("HTTP/1.1 2000 OK\r\n\r\n")).isEqualTo(HttpHead.Parse.NOT_HTTP);
    assertThat(parse("GET / HTTP/1.1\r\nno colon here\r\n\r\n")).isEqualTo(HttpHead.Parse.COMPLETE);
    assertThat(parse("SSH-2.0-OpenSSH\r\n\r\n")).isEqualTo(HttpHead.Parse.NOT_HTTP);
  }

  @Test
  void aHeadMustEndWithinItsLimit() {
    String start = "GET / HTTP/1.1\r\nX-Pad: ";
    String fits = start + "a".repeat(HttpHead.MAX_HEAD - start.length() - 6) + "\r\n\r\n";
    assertThat(fits).hasSize(HttpHead.MAX_HEAD - 2);
    assertThat(parse(fits)).isEqualTo(HttpHead.Parse.COMPLETE);
    String last = start + "a".repeat(HttpHead.MAX_HEAD - start.length() - 4) + "\r\n\r\n";
    assertThat(last).hasSize(HttpHead.MAX_HEAD);
    assertThat(parse(last)).isEqualTo(HttpHead.Parse.COMPLETE);
    String over = start + "a".repeat(HttpHead.MAX_HEAD - start.length() - 3) + "\r\n\r\n";
    assertThat(parse(over)).isEqualTo(HttpHead.Parse.NOT_HTTP);
    assertThat(parse(start + "a".repeat(100))).isEqualTo(HttpHead.Parse.INCOMPLETE);
  }

  @Test
  void onlyAGetOrA101CouldFetchAScriptOrOpenAWebSocket() {
    assertThat(couldBeGetOr101("GET /coinhive.min.js HTTP/1.1\r\n")).isTrue();
    assertThat(couldBeGetOr101("HTTP/1.1 101 Switching Protocols\r\n")).isTrue();
    assertThat(couldBeGetOr101("HTTP/1.0 101")).isTrue();
    assertThat(couldBeGetOr101("POST /rpc HTTP/1.1\r\n")).isFalse();
    assertThat(couldBeGetOr101("HTTP/1.1 200 OK\r\n")).isFalse();
    assertThat(couldBeGetOr101("HTTP/1.1 1010")).isTrue(); // the parser judges the code
    assertThat(couldBeGetOr101("HTTP/1.1x101")).isFalse();
    assertThat(couldBeGetOr101("\u0016\u0003\u0001")).isFalse();
    // Too few bytes to tell: the whole head is waited for.
    assertThat(couldBeGetOr101("GE")).isTrue();
    assertThat(couldBeGetOr101("H")).isTrue();
    assertThat(couldBeGetOr101("HTTP/1.")).isTrue();
    assertThat(couldBeGetOr101("HTTP/1.1")).isTrue();
    assertThat(couldBeGetOr101("HTTP/1.1 ")).isTrue();
    assertThat(couldBeGetOr101("")).isTrue();
    assertThat(couldBeGetOr101("P")).isFalse();
    assertThat(couldBeGetOr101("HTTP/1.1 1")).isTrue();
    assertThat(couldBeGetOr101("HTTP/1.1 2")).isFalse();
  }

  @Test
  void aMinersUserAgentIsReadOnlyWhenAskedAndFromTheLastHead() {
    parse("GET / HTTP/1.1\r\nUser-Agent: XMRig/6.21.0 (Linux x86_64)\r\n\r\n");
    parse("GET / HTTP/1.1\r\nUser-Agent: curl/8.5.0\r\n\r\n");
    assertThat(head.minerAgent()).isFalse();
    parse("GET / HTTP/1.1\r\nUser-Agent: XMRig/6.21.0 (Linux x86_64)\r\n\r\n");
    assertThat(head.minerAgent()).isTrue();
    parse("GET / HTTP/1.1\r\n\r\n");
    assertThat(head.minerAgent()).isFalse();
  }

  private static boolean couldBeGetOr101(String text) {
    byte[] b = ("xx" + text).getBytes(StandardCharsets.ISO_8859_1);
    return HttpHead.couldBeGetOr101(b, 2, b.length);
  }
}
