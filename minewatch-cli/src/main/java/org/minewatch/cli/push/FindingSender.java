package org.minewatch.cli.push;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.minewatch.cli.push.PushClient.Answer;
import org.minewatch.cli.push.PushClient.Counts;
import org.minewatch.cli.push.PushClient.Kind;

/**
 * Sends batches to a server, retrying with back-off while it is away, and drains a {@link Spool}:
 * either at once ({@link #drain}, for {@code push}) or on a thread of its own while a command goes
 * on with its analysis ({@link #start}, {@link #wake}, {@link #finish}).
 *
 * <p>While the server is away (no connection, a timeout, 429, 5xx) the same batch is tried again
 * after a back-off delay (1 s doubling to 60 s, jittered; a longer Retry-After is honoured). A
 * running live command never gives up; once the work is done ({@code push}, the end of a scan, the
 * stop of {@code watch} or {@code collect}) the sender gives up after the server has been away for
 * {@code retryFor} without a success in between, and what is left stays in the spool.
 */
public final class FindingSender {
  private static final long UNLIMITED = Long.MIN_VALUE;
  private static final long MAX_RETRY_AFTER_NANOS = Duration.ofHours(1).toNanos();

  /**
   * Called between the server's 200 and the batch's removal from the spool (tests stand a crash
   * there).
   */
  interface AckHook {
    void accepted(Spool.Batch batch);
  }

  /** What a spool drain came to. */
  public record Report(
      Counts counts,
      long batchesSent,
      long linesSent,
      long batchesRefused,
      long linesRefused,
      Spool.Backlog left,
      String stoppedBecause) {
    /** 0 all sent, 1 the server refused lines (kept in rejected/), 2 findings left in the spool. */
    public int status() {
      return left.batches() > 0 || stoppedBecause != null ? 2 : batchesRefused > 0 ? 1 : 0;
    }
  }

  private final PushClient client;
  private final Backoff backoff;
  private final Timing timing;
  private final Consumer<String> say;
  private AckHook ackHook = b -> {};

  // The give-up rule: unlimited while a live command runs.
  private volatile long limitedSince = UNLIMITED;
  private volatile long retryForNanos;
  private long failingSince = UNLIMITED;
  private int failedAttempts;

  // Spool statistics.
  private Counts counts = Counts.ZERO;
  private long batchesSent;
  private long linesSent;
  private long batchesRefused;
  private long linesRefused;
  private String stoppedBecause;

  // The background thread.
  private final Object signal = new Object();
  private Spool spool;
  private Thread thread;
  private boolean work;
  private boolean finishing;

  public FindingSender(PushClient client, Backoff backoff, Timing timing, Consumer<String> say) {
    this.client = client;
    this.backoff = backoff;
    this.timing = timing;
    this.say = say;
  }

  void ackHook(AckHook hook) {
    this.ackHook = hook;
  }

  /**
   * Sends one batch, trying again while the server is away; returns the server's answer, or the
   * last {@link Kind#RETRY} once the give-up rule says so.
   */
  public Answer deliver(byte[] body) throws InterruptedException {
    while (true) {
      Answer a = client.send(body);
      if (a.kind() != Kind.RETRY) {
        if (failingSince != UNLIMITED) {
          say.accept("the server answers again (after " + failedAttempts + " failed attempts)");
        }
        failingSince = UNLIMITED;
        failedAttempts = 0;
        backoff.reset();
        return a;
      }
      long now = timing.nanoTime();
      failedAttempts++;
      if (failingSince == UNLIMITED) {
        failingSince = now;
        say.accept(
            "cannot send findings: "
                + a.message()
                + "; retrying with back-off"
                + (spool != null ? ", findings kept in spool " + spool.directory() : ""));
      }
      long left = left(now);
      if (left <= 0) {
        return a;
      }
      long delay = backoff.nextNanos();
      if (a.retryAfterSeconds().isPresent()) {
        delay =
            Math.max(
                delay,
                Math.min(
                    MAX_RETRY_AFTER_NANOS, a.retryAfterSeconds().getAsLong() * 1_000_000_000L));
      }
      timing.pause(Math.min(delay, left));
    }
  }

  /** Nanoseconds until the sender gives up; {@code Long.MAX_VALUE} while unlimited. */
  private long left(long now) {
    long since = limitedSince;
    if (since == UNLIMITED) {
      return Long.MAX_VALUE;
    }
    return retryForNanos - (now - Math.max(since, failingSince));
  }

  /**
   * From now on give up after the server has been away for {@code retryFor} (until then: never).
   */
  public void giveUpAfter(Duration retryFor) {
    retryForNanos = retryFor.toNanos();
    limitedSince = timing.nanoTime();
  }

  /**
   * Sends what the spool holds, now, giving up after the server has been away for {@code retryFor}.
   */
  public Report drain(Spool spool, Duration retryFor) throws IOException, InterruptedException {
    this.spool = spool;
    try {
      giveUpAfter(retryFor);
      drainOnce();
      return report();
    } finally {
      this.spool = null; // later deliveries (push's files) are not from it
    }
  }

  /**
   * Sends until the spool is empty; false if sending stopped (the server refused the token, or gave
   * up).
   */
  private boolean drainOnce() throws IOException, InterruptedException {
    while (true) {
      List<Spool.Batch> batches = spool.pending();
      if (batches.isEmpty()) {
        return true;
      }
      for (Spool.Batch b : batches) {
        byte[] body = b.body();
        int lines = Spool.lines(body);
        Answer a = deliver(body);
        if (a.kind() == Kind.ACCEPTED) {
          ackHook.accepted(b);
          spool.acknowledge(b);
          synchronized (this) {
            counts = counts.plus(a.counts());
            batchesSent++;
            linesSent += lines;
          }
        } else if (a.kind() == Kind.REFUSED) {
          reject(
              b,
              lines,
              "the server refused batch "
                  + b.name()
                  + " (400): "
                  + (a.line() > 0 ? "line " + a.line() + ": " : "")
                  + a.message()
                  + lineText(body, a.line()));
        } else if (a.kind() == Kind.TOO_LARGE && lines > 1) {
          say.accept(
              "the server found batch "
                  + b.name()
                  + " too large (413; "
                  + lines
                  + " lines, "
                  + body.length
                  + " bytes): sending it in two halves");
          spool.split(b);
          break; // list the spool again: the halves take the batch's place
        } else if (a.kind() == Kind.TOO_LARGE) {
          reject(
              b,
              lines,
              "the server refused batch "
                  + b.name()
                  + " as too large (413): one line of "
                  + body.length
                  + " bytes");
        } else {
          String why =
              a.kind() == Kind.FATAL
                  ? a.message()
                  : "the server has been unreachable for "
                      + Durations.show(Duration.ofNanos(retryForNanos))
                      + " ("
                      + a.message()
                      + ")";
          synchronized (this) {
            stoppedBecause = why;
          }
          say.accept("stopped sending: " + why);
          return false;
        }
      }
    }
  }

  private void reject(Spool.Batch b, int lines, String reason) throws IOException {
    Path kept = spool.reject(b, reason);
    synchronized (this) {
      batchesRefused++;
      linesRefused += lines;
    }
    say.accept(
        reason + "; the batch (" + lines + " lines) is kept in " + kept + " and not sent again");
  }

  /** The refused line itself, abbreviated, so the reason shows what was wrong with it. */
  private static String lineText(byte[] body, int line) {
    if (line <= 0) {
      return "";
    }
    String[] lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
    if (line > lines.length) {
      return "";
    }
    String l = lines[line - 1];
    return " [" + (l.length() > 120 ? l.substring(0, 120) + "..." : l) + "]";
  }

  /** Starts sending on a thread of its own, beginning with what the spool already holds. */
  public void start(Spool spool) {
    this.spool = spool;
    synchronized (signal) {
      work = true;
    }
    thread = new Thread(this::run, "minewatch-push");
    thread.setDaemon(true);
    thread.start();
  }

  /** New batches are in the spool. */
  public void wake() {
    synchronized (signal) {
      work = true;
      signal.notifyAll();
    }
  }

  private void run() {
    try {
      while (true) {
        synchronized (signal) {
          while (!work && !finishing) {
            signal.wait();
          }
          work = false;
        }
        if (!drainOnce()) {
          return;
        }
        synchronized (signal) {
          if (finishing && !work) {
            return;
          }
        }
      }
    } catch (IOException e) {
      synchronized (this) {
        stoppedBecause = "the spool failed: " + e.getMessage();
      }
      say.accept(stoppedBecause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      synchronized (this) {
        stoppedBecause = "sending failed: " + e;
      }
      say.accept(stoppedBecause);
    }
  }

  /**
   * The work is done: sends what is left, giving up once the server has been away for {@code
   * retryFor}, and stops the thread.
   */
  public Report finish(Duration retryFor) throws IOException, InterruptedException {
    giveUpAfter(retryFor);
    synchronized (signal) {
      finishing = true;
      signal.notifyAll();
    }
    timing.wakeUp(); // a back-off pause in progress ends: one more attempt now, then the limit
    // applies
    if (thread != null) {
      thread.join();
    }
    return report();
  }

  /** True while the thread sends (started, not finished). */
  public boolean running() {
    Thread t = thread;
    return t != null && t.isAlive();
  }

  /**
   * Whether the thread has stopped for good before {@link #finish} (the token refused, the spool
   * failing).
   */
  public synchronized String stoppedBecause() {
    return stoppedBecause;
  }

  private synchronized Report report() throws IOException {
    return new Report(
        counts,
        batchesSent,
        linesSent,
        batchesRefused,
        linesRefused,
        spool.backlog(),
        stoppedBecause);
  }

  /** "8 findings sent in 1 batch: received 8, created 8, updated 0, unchanged 0". */
  public static String describe(long lines, long batches, Counts counts) {
    return String.format(
        Locale.ROOT,
        "%,d finding%s sent in %,d batch%s: %s",
        lines,
        lines == 1 ? "" : "s",
        batches,
        batches == 1 ? "" : "es",
        counts);
  }
}
