package org.minewatch.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;

/**
 * {@code minewatch serve} as its own process on the embedded database: killed with SIGKILL right
 * after it acknowledged findings, it has lost none of them when the folder is opened again.
 */
class ServeProcessTest {
  @TempDir Path dir;

  static String line(int i) {
    return "{\"host\":\"10.9."
        + (i / 250)
        + "."
        + (i % 250 + 1)
        + "\",\"role\":\"miner\",\"verdict\":\"mining\","
        + "\"coin\":\"monero\",\"protocol\":\"stratum-xmr\",\"source\":\"packets\",\"first_seen\":\"2027-01-01T00:00:00Z\","
        + "\"last_seen\":\"2027-01-01T00:10:00Z\",\"flows\":1,\"bytes\":1000,\"evidence\":[\"client sent login\"]}";
  }

  @Test
  void killedAfterAcknowledgingLosesNothing() throws Exception {
    Path data = dir.resolve("data");
    String token;
    try (Database db = Database.embedded(data)) {
      token =
          new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn())
              .addUser(User.SYSTEM, "probe", Role.SENSOR, null, null, null);
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.minewatch.cli.MineWatch",
                "serve",
                "--data",
                data.toString(),
                "--listen",
                "127.0.0.1:0"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    int acknowledged = 0;
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Matcher m = null;
      for (String l = out.readLine(); l != null; l = out.readLine()) {
        m = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(l);
        if (m.find()) {
          break;
        }
      }
      assertThat(m).isNotNull();
      String base = m.group(1);
      HttpClient client = HttpClient.newHttpClient();
      for (int batch = 0; batch < 5; batch++) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 100; i++) {
          body.append(line(batch * 100 + i)).append('\n');
        }
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/findings"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        acknowledged += 100;
      }
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook runs, nothing is flushed on the way out
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (Database db = Database.embedded(data)) {
      int stored =
          db.jdbi()
              .withHandle(
                  h -> h.createQuery("select count(*) from findings").mapTo(Integer.class).one());
      int cases =
          db.jdbi()
              .withHandle(
                  h -> h.createQuery("select count(*) from cases").mapTo(Integer.class).one());
      assertThat(stored).isEqualTo(acknowledged).isEqualTo(500);
      assertThat(cases).isEqualTo(500);
    }
  }
}
