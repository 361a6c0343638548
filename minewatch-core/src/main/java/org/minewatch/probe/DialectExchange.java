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
   * @param said everything it answered, in order, for a person to read (escaped and capped: {@link
   *     ProbeText})
   * @param notJson whether it answered with something that is not JSON (another protocol)
   * @param readLimit whether the connection's read limit ended the exchange
   */
  record Outcome(
      String poolAnswer, Protocol protocol, String said, boolean notJson, boolean readLimit) {
    Outcome(String poolAnswer, Protocol protocol, String said, boolean notJson) {
      this(poolAnswer, protocol, said, notJson, false);
    }
  }

  private DialectExchange() {}

  static Outcome run(ProbeChannel channel, Dialect dialect, Duration replyTimeout)
      throws IOException {
    ReplyReader reader = new ReplyReader(channel);
    OutputStream out = channel.out();
    String timeoutText = "no answer within " + replyTimeout.toMillis() / 1000.0 + " s";
    List<String> said = new ArrayList<>();
    String poolAnswer = null;
    Protocol protocol = null;
    // A push confirms only once the dialect's own request was answered, with its id and no error:
    // a server that pushes anything at anyone, or answers with an error, is not taken at its word.
    String push = null;
    Protocol pushProtocol = null;
    boolean refused = false;
    for (int i = 0; i < dialect.requests().size(); i++) {
      long id = i + 1;
      long deadline = System.nanoTime() + replyTimeout.toNanos();
      channel.deadline(
          deadline); // the request's write and its whole reply, or the socket is closed
      try {
        out.write((dialect.requests().get(i) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        if (!channel.expired()) {
          throw e;
        }
        said.add(dialect.method(i) + ": " + timeoutText);
        return new Outcome(
            poolAnswer, protocol, ProbeText.exchange(String.join("; ", said)), false);
      }
      while (true) {
        ReplyReader.Reply reply = reader.next(deadline, timeoutText);
        if (reply.message() == null) {
          said.add(dialect.method(i) + ": " + reply.end());
          return new Outcome(
              poolAnswer,
              protocol,
              ProbeText.exchange(String.join("; ", said)),
              reply.notJson(),
              reply.readLimit());
        }
        if (!(reply.message() instanceof Map<?, ?> m)) {
          continue; // not a JSON-RPC message: nothing a pool says, and no answer
        }
        if (m.get("method") != null) {
          String answer = PoolReplyJudge.poolAnswer(m);
          if (answer != null) {
            said.add("pushed " + answer); // a pool may push a job or a difficulty before it answers
            if (push == null) {
              push = answer;
              pushProtocol = PoolReplyJudge.protocolOf(m);
            }
          }
          continue;
        }
        if (!m.containsKey("result") && !m.containsKey("error")) {
          continue;
        }
        if (!(m.get("id") instanceof Long n && n == id)) {
          // Not the answer to this request: whatever it holds, the server is not following the
          // dialect.
          said.add(
              dialect.method(i)
                  + ": answered with id "
                  + ProbeText.item(String.valueOf(m.get("id")))
                  + ", not "
                  + id);
          return new Outcome(
              poolAnswer, protocol, ProbeText.exchange(String.join("; ", said)), false);
        }
        boolean failed = failed(m);
        String answer = failed ? null : PoolReplyJudge.poolAnswer(m);
        refused |= failed;
        if (answer != null && poolAnswer == null) {
          poolAnswer = answer;
          protocol = PoolReplyJudge.protocolOf(m);
        }
        said.add(dialect.method(i) + ": " + (answer != null ? answer : describe(m)));
        break;
      }
      if (poolAnswer == null && push != null && !refused) {
        poolAnswer = push;
        protocol = pushProtocol;
      }
    }
    return new Outcome(poolAnswer, protocol, ProbeText.exchange(String.join("; ", said)), false);
  }

  private static boolean failed(Map<?, ?> reply) {
    Object error = reply.get("error");
    return error != null && error != org.minewatch.detect.json.JsonTree.NULL;
  }

  private static String describe(Map<?, ?> reply) {
    return ProbeText.item(
        failed(reply) ? "error " + reply.get("error") : "result " + reply.get("result"));
  }
}
