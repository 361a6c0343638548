package org.minewatch.testkit.pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool a real XMRig mines against, spoken to as XMRig speaks (in clear, over IPv6). */
class XmrigPoolTest {
  @TempDir Path dir;

  @Test
  void answersLoginWithAJobAndSubmitsAndKeepalivesAndPushesNewBlocks() throws Exception {
    Path log = dir.resolve("pool.jsonl");
    String login;
    String submit;
    String keepalive;
    String pushed;
    String secondPush;
    try (XmrigPool pool =
            XmrigPool.start(new XmrigPool.Config(true, 0, null, null, 300, 0.2, 2, 7), log);
        Socket s = new Socket("::1", pool.port())) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      out.write(
          ("{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"4abc\","
                  + "\"pass\":\"x\",\"agent\":\"XMRig/6.16.0\",\"algo\":[\"rx/0\"]}}\n")
              .getBytes(StandardCharsets.UTF_8));
      login = in.readLine();
      // Pushes come every 0.2 s; the next two lines after the login are jobs.
      pushed = in.readLine();
      secondPush = in.readLine();
      out.write(
          ("{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"a\","
                  + "\"job_id\":\"b\",\"nonce\":\"38000000\",\"result\":\"00\",\"algo\":\"rx/0\"}}\n"
                  + "{\"id\":3,\"jsonrpc\":\"2.0\",\"method\":\"keepalived\",\"params\":{}}\n")
              .getBytes(StandardCharsets.UTF_8));
      submit = untilId(in, 2);
      keepalive = untilId(in, 3);
      assertThat(pool.shares()).isEqualTo(1);
      assertThat(pool.keepalives()).isEqualTo(1);
    }
    // 0xFFFFFFFF / 300 = 0x00DA740D, little-endian; a 76-byte blob for up to 127 transactions.
    assertThat(login)
        .contains("\"id\":1,", "\"target\":\"0d74da00\"", "\"algo\":\"rx/0\"", "\"keepalive\"");
    assertThat(field(login, "blob")).matches("1010[0-9a-f]{10}[0-9a-f]{64}00000000[0-9a-f]{66}");
    assertThat(field(login, "seed_hash")).hasSize(64).isEqualTo(field(pushed, "seed_hash"));
    assertThat(pushed).startsWith("{\"jsonrpc\":\"2.0\",\"method\":\"job\",\"params\":{");
    // Every second push is a new block: its height is one more, its previous hash another.
    long h0 = Long.parseLong(number(login, "height"));
    assertThat(Long.parseLong(number(pushed, "height"))).isEqualTo(h0);
    assertThat(Long.parseLong(number(secondPush, "height"))).isEqualTo(h0 + 1);
    assertThat(field(pushed, "blob").substring(14, 78))
        .isEqualTo(field(login, "blob").substring(14, 78))
        .isNotEqualTo(field(secondPush, "blob").substring(14, 78));
    assertThat(submit)
        .isEqualTo("{\"id\":2,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"status\":\"OK\"}}");
    assertThat(keepalive).contains("\"id\":3,", "KEEPALIVED");
    List<String> lines = Files.readAllLines(log);
    assertThat(lines.get(0)).contains("\"event\":\"listen\"", "\"host\":\"0:0:0:0:0:0:0:1\"");
    assertThat(lines).anyMatch(l -> l.contains("\"dir\":\"recv\"") && l.contains("\"submit\""));
    assertThat(lines).anyMatch(l -> l.contains("\"event\":\"share\",\"n\":1"));
    assertThat(lines.get(lines.size() - 1))
        .contains("\"event\":\"summary\"", "\"shares_submitted\":1", "\"keepalived\":1");
  }

  private static String untilId(BufferedReader in, int id) throws java.io.IOException {
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("{\"id\":" + id + ",")) {
        return line;
      }
    }
    return null;
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    assertThat(m.find()).as(name + " in " + json).isTrue();
    return m.group(1);
  }

  private static String number(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    assertThat(m.find()).as(name + " in " + json).isTrue();
    return m.group(1);
  }
}
