package org.minewatch.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.minewatch.identity.ChainClues;
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
   * @param clue the coin and algorithm the pool's messages give ({@link PoolJobClue}), or null
   */
  record Outcome(
      String poolAnswer,
      Protocol protocol,
      String said,
      boolean notJson,
      boolean readLimit,
      ChainClues.Clue clue) {}

  /**
   * How long a pool that has answered every request is given to push its first job, where its
   * answers carried none (Stratum v1 pools push one right after the authorisation): a job is where
   * the coin shows.
   */
  static final Duration JOB_WAIT = Duration.ofSeconds(2);

  private DialectExchange() {}

  /**
   * @param at when the probe began: the time a job's chain is judged at ({@link ChainClues})
   */
  static Outcome run(ProbeChannel channel, Dialect dialect, Duration replyTimeout, Instant at)
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
    ChainClues.Clue clue = null;
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
            poolAnswer, protocol, ProbeText.exchange(String.join("; ", said)), false, false, clue);
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
              reply.readLimit(),
              clue);
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
            clue = clue != null ? clue : PoolJobClue.of(m, at);
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
              poolAnswer,
              protocol,
              ProbeText.exchange(String.join("; ", said)),
              false,
              false,
              clue);
        }
        boolean failed = failed(m);
        String answer = failed ? null : PoolReplyJudge.poolAnswer(m);
        refused |= failed;
        if (answer != null && poolAnswer == null) {
          poolAnswer = answer;
          protocol = PoolReplyJudge.protocolOf(m);
        }
        if (answer != null && clue == null) {
          clue = PoolJobClue.of(m, at);
        }
        said.add(dialect.method(i) + ": " + (answer != null ? answer : describe(m)));
        break;
      }
      if (poolAnswer == null && push != null && !refused) {
        poolAnswer = push;
        protocol = pushProtocol;
      }
    }
    if (poolAnswer != null && clue == null && !refused) {
      clue = awaitJob(channel, reader, replyTimeout, at, said);
    }
    return new Outcome(
        poolAnswer, protocol, ProbeText.exchange(String.join("; ", said)), false, false, clue);
  }

  /**
   * Reads what a confirmed pool pushes next, for at most {@link #JOB_WAIT} (or the reply timeout if
   * shorter), until a push gives a clue; what it pushed is added to {@code said}. The pool is
   * confirmed already: silence or a closed connection here changes nothing but the clue.
   */
  private static ChainClues.Clue awaitJob(
      ProbeChannel channel,
      ReplyReader reader,
      Duration replyTimeout,
      Instant at,
      List<String> said) {
    long deadline = System.nanoTime() + Math.min(JOB_WAIT.toNanos(), replyTimeout.toNanos());
    channel.deadline(deadline);
    try {
      while (true) {
        ReplyReader.Reply reply = reader.next(deadline, "");
        if (reply.message() == null) {
          return null;
        }
        if (!(reply.message() instanceof Map<?, ?> m) || m.get("method") == null) {
          continue;
        }
        String answer = PoolReplyJudge.poolAnswer(m);
        if (answer != null) {
          said.add("pushed " + answer);
          ChainClues.Clue clue = PoolJobClue.of(m, at);
          if (clue != null) {
            return clue;
          }
        }
      }
    } catch (IOException e) {
      return null; // the connection ended: the confirmation stands without a clue
    }
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
