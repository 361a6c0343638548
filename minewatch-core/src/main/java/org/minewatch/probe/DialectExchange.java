package org.minewatch.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.minewatch.model.Protocol;

/**
 * One dialect spoken over one open connection: each request sent once the previous one was
 * answered, every message that comes back judged, and what was said kept for the record.
 */
final class DialectExchange {
  /**
   * @param poolAnswer what the endpoint said as a pool, or null if it said nothing a pool says
   * @param protocol the dialect of that answer, or null
   * @param said everything it answered, in order, for a person to read (escaped and capped: {@link ProbeText})
   * @param notJson whether it answered with something that is not JSON (another protocol)
   */
  record Outcome(String poolAnswer, Protocol protocol, String said, boolean notJson) {}

  private DialectExchange() {}

  static Outcome run(ProbeChannel channel, Dialect dialect, Duration replyTimeout) throws IOException {
    ReplyReader reader = new ReplyReader(channel);
    OutputStream out = channel.out();
    String timeoutText = "no answer within " + replyTimeout.toMillis() / 1000.0 + " s";
    List<String> said = new ArrayList<>();
    String poolAnswer = null;
    Protocol protocol = null;
    for (int i = 0; i < dialect.requests().size(); i++) {
      long id = i + 1;
      long deadline = System.nanoTime() + replyTimeout.toNanos();
      channel.deadline(deadline); // the request's write and its whole reply, or the socket is closed
      try {
        out.write((dialect.requests().get(i) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        if (!channel.expired()) {
          throw e;
        }
        said.add(dialect.method(i) + ": " + timeoutText);
        return new Outcome(poolAnswer, protocol, ProbeText.exchange(String.join("; ", said)), false);
      }
      while (true) {
        ReplyReader.Reply reply = reader.next(deadline, timeoutText);
        if (reply.message() == null) {
          said.add(dialect.method(i) + ": " + reply.end());
          return new Outcome(poolAnswer, protocol, ProbeText.exchange(String.join("; ", said)), reply.notJson());
        }
        Object m = reply.message();
        String answer = PoolReplyJudge.poolAnswer(m);
        if (answer != null && poolAnswer == null) {
          poolAnswer = answer;
          protocol = PoolReplyJudge.protocolOf(m);
        }
        if (isReplyTo(m, id)) {
          said.add(dialect.method(i) + ": " + (answer != null ? answer : describe((Map<?, ?>) m)));
          break;
        }
        if (answer != null) {
          said.add("pushed " + answer); // a pool may push a job or a difficulty before it answers
        }
      }
    }
    return new Outcome(poolAnswer, protocol, ProbeText.exchange(String.join("; ", said)), false);
  }

  private static boolean isReplyTo(Object message, long id) {
    return message instanceof Map<?, ?> m && !m.containsKey("method") && m.get("id") instanceof Long n && n == id
        && (m.containsKey("result") || m.containsKey("error"));
  }

  private static String describe(Map<?, ?> reply) {
    Object error = reply.get("error");
    boolean failed = error != null && error != org.minewatch.detect.json.JsonTree.NULL;
    return ProbeText.item(failed ? "error " + error : "result " + reply.get("result"));
  }
}
