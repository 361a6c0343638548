package org.minewatch.testkit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Long-lived encrypted connections with the timing and sizes of real applications, for training and
 * testing the behaviour model. Each kind is written from how its protocol works:
 *
 * <ul>
 *   <li>Mining: the pool pushes a job when the chain or its template changes (irregular, tens of
 *       seconds, block time of the coin), the miner submits shares at a rate set by its difficulty
 *       (a Poisson process) and each share is answered at once; XMRig sends keepalived when idle.
 *   <li>Others: chat (bursty conversations, pings), push notification channels (long heartbeats,
 *       rare pushes), MQTT publishers and subscribers (periodic telemetry, PINGREQ at the
 *       keep-alive), SSH sessions (keystrokes echoed at once, output bursts), VPN keep-alives over
 *       TCP (both sides ping every 10 s, tunnelled bursts), live tickers over WebSocket (pushes
 *       every few seconds), IMAP IDLE (rare pushes, re-IDLE every 29 minutes), clients polling a
 *       database, cache or API over a kept-open connection (a few kinds of query, each answered at
 *       once, on a timer or at random).
 * </ul>
 *
 * Sizes include TLS 1.3 record overhead (22 bytes); messages above the MSS are split into segments
 * a fraction of a millisecond apart.
 */
public final class BehaviourTraffic {
  public static final List<String> MINING_KINDS =
      List.of("xmrig-tls", "stratum-v1-tls", "ethash-stratum-tls", "high-share-rate-tls");
  public static final List<String> OTHER_KINDS =
      List.of(
          "chat",
          "push-notifications",
          "mqtt-publisher",
          "mqtt-subscriber",
          "mqtt-events",
          "ssh-interactive",
          "vpn-keepalive",
          "live-ticker",
          "imap-idle",
          "rpc-poll");
  private static final int TLS_OVERHEAD = 22;
  private static final int MSS = 1448;

  private BehaviourTraffic() {}

  /** One payload-bearing packet. */
  public record Packet(long nanos, boolean fromClient, int bytes) {}

  /** A generated connection and what it is. */
  public record LabelledFlow(String kind, boolean mining, List<Packet> packets) {}

  /**
   * A connection of {@code kind} starting at {@code startNanos}, lasting 2 to 60 minutes
   * (log-uniform: connections are cut by reconnects, pool switches and restarts, so short ones are
   * as real as long ones).
   */
  public static LabelledFlow generate(String kind, Random r, long startNanos) {
    return generate(kind, r, startNanos, 1, 1);
  }

  /**
   * The same with every interval multiplied by {@code timeScale} and every message size by {@code
   * sizeScale}: conditions the model was not trained on, to see how it degrades.
   */
  public static LabelledFlow generate(
      String kind, Random r, long startNanos, double timeScale, double sizeScale) {
    Builder b =
        new Builder(
            r,
            startNanos,
            Math.exp(uniform(r, Math.log(120), Math.log(3600))),
            timeScale,
            sizeScale);
    b.handshake();
    switch (kind) {
      case "xmrig-tls" ->
          mining(
              b,
              r,
              uniform(r, 20, 120),
              uniform(r, 330, 470),
              0.04,
              uniform(r, 4, 90),
              uniform(r, 210, 260),
              uniform(r, 70, 95),
              true);
      case "stratum-v1-tls" ->
          mining(
              b,
              r,
              uniform(r, 15, 60),
              uniform(r, 600, 1400),
              0.15,
              uniform(r, 3, 60),
              uniform(r, 150, 200),
              uniform(r, 45, 70),
              false);
      case "ethash-stratum-tls" ->
          mining(
              b,
              r,
              uniform(r, 4, 15),
              uniform(r, 250, 330),
              0.03,
              uniform(r, 5, 60),
              uniform(r, 140, 190),
              uniform(r, 45, 60),
              false);
      case "high-share-rate-tls" ->
          mining(
              b,
              r,
              uniform(r, 10, 60),
              uniform(r, 300, 900),
              0.1,
              uniform(r, 0.7, 3),
              uniform(r, 150, 260),
              uniform(r, 45, 90),
              false);
      case "chat" -> chat(b, r);
      case "push-notifications" -> push(b, r);
      case "mqtt-publisher" -> mqttPublisher(b, r);
      case "mqtt-subscriber" -> mqttSubscriber(b, r, false);
      case "mqtt-events" -> mqttSubscriber(b, r, true);
      case "ssh-interactive" -> ssh(b, r);
      case "vpn-keepalive" -> vpn(b, r);
      case "live-ticker" -> ticker(b, r);
      case "imap-idle" -> imap(b, r);
      case "rpc-poll" -> rpcPoll(b, r);
      default -> throw new IllegalArgumentException("unknown kind: " + kind);
    }
    return new LabelledFlow(kind, MINING_KINDS.contains(kind), b.packets());
  }

  /**
   * Renders a generated connection as TCP packets carrying TLS records, from a client to a server,
   * into {@code t} (whose clock must not be past the flow's start).
   */
  public static void render(
      LabelledFlow flow,
      TrafficBuilder t,
      String client,
      int clientPort,
      String server,
      int serverPort,
      Random r) {
    TrafficBuilder.Tcp tcp = t.tcp(client, clientPort, server, serverPort);
    List<Packet> packets = flow.packets();
    t.advance(
        java.time.Duration.ofNanos(Math.max(0, packets.get(0).nanos() - t.nowNanos() - 1_000_000)));
    tcp.handshake();
    boolean first = true;
    for (Packet p : packets) {
      long wait = p.nanos() - t.nowNanos();
      if (wait > 0) {
        t.advance(java.time.Duration.ofNanos(wait));
      }
      byte[] data = new byte[p.bytes()];
      r.nextBytes(data);
      data[0] = (byte) (first ? 0x16 : 0x17);
      data[1] = 0x03;
      data[2] = (byte) (first ? 0x01 : 0x03);
      first = false;
      tcp.send(p.fromClient(), data);
    }
    tcp.fin();
  }

  static double uniform(Random r, double low, double high) {
    return low + r.nextDouble() * (high - low);
  }

  static double exponential(Random r, double mean) {
    return -mean * Math.log(1 - r.nextDouble());
  }

  private static int around(Random r, double mean, double spread) {
    return (int) Math.max(1, Math.round(mean * (1 + spread * (2 * r.nextDouble() - 1))));
  }

  /** Collects messages and cuts them into packets. */
  static final class Builder {
    final Random r;
    final long start;
    final long end;
    final double rtt;
    private final double timeScale;
    private final double sizeScale;
    private final List<Packet> packets = new ArrayList<>();

    Builder(Random r, long start, double seconds, double timeScale, double sizeScale) {
      this.r = r;
      this.start = start;
      this.timeScale = timeScale;
      this.sizeScale = sizeScale;
      this.end = start + (long) (seconds * 1e9);
      this.rtt = uniform(r, 0.005, 0.3) / timeScale; // scaled back in at(): delays stay real
    }

    long at(double seconds) {
      return start + (long) (seconds * timeScale * 1e9);
    }

    boolean within(double seconds) {
      return at(seconds) < end;
    }

    double seconds() {
      return (end - start) / 1e9;
    }

    void message(double seconds, boolean fromClient, int bytes) {
      long t = at(seconds);
      int left = (int) Math.max(1, Math.round(bytes * sizeScale)) + TLS_OVERHEAD;
      while (left > 0) {
        int n = Math.min(MSS, left);
        packets.add(new Packet(t, fromClient, n));
        left -= n;
        t += 100_000L + r.nextInt(400_000);
      }
    }

    /**
     * TLS handshake: ClientHello; server flight; client Finished with the first request; the
     * answer.
     */
    void handshake() {
      message(0, true, around(r, 517, 0.1));
      message(rtt, false, around(r, 3500, 0.4));
      message(rtt * 2 + 0.002, true, around(r, 300, 0.3));
      message(rtt * 3 + 0.005, false, around(r, 500, 0.5));
    }

    List<Packet> packets() {
      List<Packet> sorted = new ArrayList<>(packets);
      sorted.sort(Comparator.comparingLong(Packet::nanos));
      return sorted;
    }
  }

  private static void mining(
      Builder b,
      Random r,
      double jobMean,
      double jobBytes,
      double jobSpread,
      double shareMean,
      double shareBytes,
      double replyBytes,
      boolean keepalive) {
    double t = b.rtt * 4;
    // A share submit's fields have fixed lengths (job id, nonce, result hash): XMRig's are all one
    // size, other
    // miners' vary a little with their job ids and extranonces.
    double shareSpread = r.nextBoolean() ? 0 : uniform(r, 0.01, 0.05);
    // The pool's answer to a share is one JSON text but for its id's digits; some pools add a
    // varying status.
    double replySpread = r.nextInt(3) == 0 ? uniform(r, 0.02, 0.1) : 0.01;
    double nextJob = t + exponential(r, jobMean);
    double nextShare = t + exponential(r, shareMean);
    double lastClient = t;
    while (true) {
      double nextKeepalive = keepalive ? lastClient + 60 : Double.MAX_VALUE;
      double next = Math.min(nextJob, Math.min(nextShare, nextKeepalive));
      if (!b.within(next)) {
        return;
      }
      if (next == nextJob) {
        b.message(next, false, around(r, jobBytes, jobSpread));
        nextJob = next + exponential(r, jobMean);
      } else if (next == nextShare) {
        b.message(next, true, around(r, shareBytes, shareSpread));
        b.message(
            next + b.rtt + uniform(r, 0.001, 0.05), false, around(r, replyBytes, replySpread));
        lastClient = next;
        nextShare = next + exponential(r, shareMean);
      } else {
        b.message(next, true, around(r, 80, 0.1));
        b.message(next + b.rtt, false, around(r, 70, 0.1));
        lastClient = next;
      }
    }
  }

  private static void chat(Builder b, Random r) {
    double ping = uniform(r, 30, 300);
    for (double t = ping; b.within(t); t += ping) {
      b.message(t, true, around(r, 50, 0.2));
      b.message(t + b.rtt, false, around(r, 50, 0.2));
    }
    double t = exponential(r, uniform(r, 60, 1200));
    while (b.within(t)) {
      int messages = 1 + r.nextInt(30);
      for (int i = 0; i < messages && b.within(t); i++) {
        boolean mine = r.nextBoolean();
        b.message(t, mine, around(r, uniform(r, 100, 3000), 0.5));
        b.message(t + b.rtt, !mine, around(r, 60, 0.2)); // delivery receipt
        t += exponential(r, uniform(r, 2, 60));
      }
      t += exponential(r, uniform(r, 60, 1200));
    }
  }

  private static void push(Builder b, Random r) {
    double heartbeat = uniform(r, 240, 1680);
    for (double t = heartbeat; b.within(t); t += heartbeat * uniform(r, 0.95, 1.05)) {
      b.message(t, true, around(r, 40, 0.2));
      b.message(t + b.rtt, false, around(r, 40, 0.2));
    }
    double mean = uniform(r, 120, 3600);
    for (double t = exponential(r, mean); b.within(t); t += exponential(r, mean)) {
      b.message(t, false, around(r, uniform(r, 300, 4000), 0.3));
      if (r.nextBoolean()) {
        b.message(t + b.rtt, true, around(r, 40, 0.2));
      }
    }
  }

  private static void mqttPublisher(Builder b, Random r) {
    double period = uniform(r, 5, 60);
    boolean qos1 = r.nextBoolean();
    double size = uniform(r, 80, 600);
    // A publisher's loop sleeps its period after reading its sensors: the reading time jitters it.
    double jitter = uniform(r, 0.01, 0.2);
    for (double t = period; b.within(t); t += period * uniform(r, 1 - jitter, 1 + jitter)) {
      b.message(t, true, around(r, size, 0.1));
      if (qos1) {
        b.message(t + b.rtt, false, 4);
      }
    }
    if (!qos1) {
      double keepalive = uniform(r, 30, 120);
      if (keepalive < period) {
        for (double t = keepalive; b.within(t); t += keepalive) {
          b.message(t, true, 2);
          b.message(t + b.rtt, false, 2);
        }
      }
    }
  }

  /** Periodic telemetry (or, with {@code events}, event-driven messages) pushed to a subscriber. */
  private static void mqttSubscriber(Builder b, Random r, boolean events) {
    double keepalive = uniform(r, 30, 120);
    for (double t = keepalive; b.within(t); t += keepalive) {
      b.message(t, true, 2);
      b.message(t + b.rtt, false, 2);
    }
    double period = uniform(r, 1, 60);
    double size = uniform(r, 100, 1500);
    double t = events ? exponential(r, period) : period;
    while (b.within(t)) {
      b.message(t, false, around(r, size, events ? 0.6 : 0.1));
      if (r.nextInt(4) == 0) {
        b.message(t + b.rtt, true, 4); // QoS 1 acknowledgement
      }
      t += events ? exponential(r, period) : period * uniform(r, 0.98, 1.02);
    }
  }

  /**
   * A client polling a database, cache or API over one kept-open connection (psql in a loop, a
   * health checker, a job queue's poller): one to four kinds of query, each of its own size and
   * answered at once with its own kind of answer (fixed, or varying with the rows returned); on a
   * timer, a jittered timer or at random; sometimes a few queries back to back per poll. Its
   * answered, constant-sized requests are what a share submit looks like from outside: what tells
   * them apart is elsewhere (no pushed jobs).
   */
  private static void rpcPoll(Builder b, Random r) {
    int kinds = 1 + r.nextInt(4);
    double[] query = new double[kinds];
    double[] answer = new double[kinds];
    double[] spread = new double[kinds];
    for (int i = 0; i < kinds; i++) {
      query[i] = uniform(r, 30, 400);
      answer[i] = uniform(r, 10, 1500);
      spread[i] = r.nextBoolean() ? 0 : uniform(r, 0.1, 0.6);
    }
    double period = uniform(r, 2, 60);
    int timer = r.nextInt(3); // 0: fixed, 1: jittered, 2: at random
    int perPoll = r.nextInt(3) == 0 ? 2 + r.nextInt(2) : 1;
    double t = uniform(r, 0.5, period);
    while (b.within(t)) {
      double at = t;
      for (int k = 0; k < perPoll; k++) {
        int q = r.nextInt(kinds);
        double served = b.rtt + uniform(r, 0.0005, 0.05);
        b.message(at, true, around(r, query[q], 0.01));
        b.message(at + served, false, around(r, answer[q], spread[q]));
        at += served + 0.001;
      }
      t +=
          switch (timer) {
            case 0 -> period * uniform(r, 0.99, 1.01);
            case 1 -> period * uniform(r, 0.5, 1.5);
            default -> exponential(r, period);
          };
    }
  }

  private static void ssh(Builder b, Random r) {
    double t = 1;
    while (b.within(t)) {
      int keys = 1 + r.nextInt(80);
      for (int i = 0; i < keys && b.within(t); i++) {
        b.message(t, true, 36);
        b.message(t + b.rtt, false, 36);
        t += exponential(r, 0.25);
      }
      b.message(t, false, around(r, uniform(r, 100, 8000), 0.5)); // command output
      t += exponential(r, uniform(r, 5, 300));
    }
  }

  private static void vpn(Builder b, Random r) {
    double ping = uniform(r, 8, 15);
    for (double t = ping; b.within(t); t += ping) {
      b.message(t, true, around(r, 42, 0.05));
      b.message(t + uniform(r, 0, ping), false, around(r, 42, 0.05));
    }
    double mean = uniform(r, 30, 600);
    for (double t = exponential(r, mean); b.within(t); t += exponential(r, mean)) {
      int n = 1 + r.nextInt(20);
      for (int i = 0; i < n; i++) {
        b.message(t + i * 0.08, true, around(r, uniform(r, 60, 1400), 0.5));
        b.message(t + i * 0.08 + b.rtt, false, around(r, uniform(r, 60, 1400), 0.5));
      }
    }
  }

  private static void ticker(Builder b, Random r) {
    double period = uniform(r, 1, 5);
    double size = uniform(r, 100, 400);
    for (double t = period; b.within(t); t += exponential(r, period)) {
      b.message(t, false, around(r, size, 0.4));
    }
    double ping = uniform(r, 20, 60);
    for (double t = ping; b.within(t); t += ping) {
      b.message(t, true, 6 + TLS_OVERHEAD);
      b.message(t + b.rtt, false, 6 + TLS_OVERHEAD);
    }
  }

  private static void imap(Builder b, Random r) {
    for (double t = 29 * 60; b.within(t); t += 29 * 60) {
      b.message(t, true, 20);
      b.message(t + b.rtt, false, 40);
      b.message(t + b.rtt * 2, true, 30);
    }
    double mean = uniform(r, 60, 1800);
    for (double t = exponential(r, mean); b.within(t); t += exponential(r, mean)) {
      b.message(t, false, around(r, 40, 0.3)); // * N EXISTS
      b.message(t + 0.5, true, around(r, 60, 0.2)); // DONE, FETCH
      b.message(t + 0.5 + b.rtt, false, around(r, uniform(r, 500, 20000), 0.5));
      b.message(t + 1 + b.rtt * 2, true, 20); // IDLE again
    }
  }
}
