package org.minewatch.detect.behaviour;

/**
 * The shape of one long-lived TCP connection whose content cannot be read (TLS, or opaque bytes):
 * its messages per direction, their sizes and spacing, and how the server's messages relate to the
 * client's. A message is a burst of same-direction payload packets less than {@link #BURST_NANOS}
 * apart, so a record split over segments counts once. The first {@link #HANDSHAKE_MESSAGES}
 * messages of each direction (the TLS handshake and the first exchange) set the clock but are not
 * counted.
 *
 * <p>Memory: 344 bytes per profiled flow (the profile and its two per-direction counters,
 * compressed oops; measured by allocating a million) before the push counter and its two flags were
 * added (at most 16 bytes more), constant. Updates allocate nothing.
 */
public final class FlowProfile {
  /** Packets of one direction closer than this are one message. */
  static final long BURST_NANOS = 50_000_000L;

  /** A server message this long after the client's last one was not asked for. */
  static final long UNSOLICITED_NANOS = 1_000_000_000L;

  /** A client message answered within this long counts as answered. */
  static final long ANSWER_NANOS = 1_000_000_000L;

  static final int HANDSHAKE_MESSAGES = 2;

  /** Past this much data a connection is bulk transfer, not a mining session: profiling stops. */
  static final long MAX_BYTES = 4L << 20;

  final Direction client = new Direction();
  final Direction server = new Direction();
  long firstNanos = -1;
  long lastNanos;
  long maxSilenceNanos;

  /** Unsolicited server messages and the spacing between them. */
  long pushes;

  long lastPushNanos = -1;
  double pushGapSum;
  double pushGapSquares;
  long pushGaps;
  long answered;

  /**
   * Bytes of the answers and of the client messages they answered, and of the pushes; the smallest
   * answer (Long.MAX_VALUE before the first).
   */
  double answerBytes;

  double answeredRequestBytes;
  double pushBytes;
  long smallestAnswer = Long.MAX_VALUE;

  /**
   * Server messages past the handshake that followed another such server message with no client
   * message between, once the client has spoken, and are larger than the smallest answer: a pool
   * answers each request once, so the second is a job it pushed, however soon after the client's
   * last message it came.
   */
  long serverRuns;

  /** Whether the last message was the server's, past the handshake. */
  boolean lastWasCountedServer;

  /** Whether the message being gathered continues one a checkpoint's reading closed early. */
  private boolean burstContinues;

  long pendingClientNanos = -1;
  long pendingClientBytes;
  long lastClientEndNanos = -1;
  long totalBytes;

  /** Set once a judgement flagged the connection likely: it is not judged again. */
  boolean flagged;

  /** Set once a judgement found it suspect (shaped like mining, no job pushed yet). */
  boolean suspected;

  /** Set once it was given as a lead for the probe (too short to judge, shaped like a start). */
  boolean led;

  /** Set once past {@link #MAX_BYTES}: bulk transfer, never judged again. */
  boolean bulk;

  /**
   * The next checkpoint (seconds of connection) at which the connection is judged while it lasts.
   */
  private int checkpoint;

  /**
   * The checkpoint being judged (its time), until {@link #checkpointJudged} or the next packet;
   * else -1.
   */
  private long checkpointNanos = -1;

  // The message being gathered.
  private boolean burstFromClient;
  private long burstStartNanos = -1;
  private long burstLastNanos;
  private long burstBytes;

  /** Per-direction counters over counted messages. */
  static final class Direction {
    int seen;
    long messages;
    double bytes;
    double squares;
    long lastStartNanos = -1;
    double gapSum;
    double gapSquares;
    long gaps;
  }

  /**
   * One payload-bearing packet.
   *
   * @return false once the connection is too big to be a mining session: drop the profile
   */
  public boolean add(boolean fromClient, int payloadBytes, long nanos) {
    checkpointNanos = -1;
    totalBytes += payloadBytes;
    if (totalBytes > MAX_BYTES) {
      bulk = true;
      return false;
    }
    if (firstNanos < 0) {
      firstNanos = nanos;
    }
    if (burstStartNanos >= 0
        && fromClient == burstFromClient
        && nanos - burstLastNanos < BURST_NANOS) {
      burstBytes += payloadBytes;
      burstLastNanos = nanos;
      lastNanos = Math.max(lastNanos, nanos);
      return true;
    }
    // A checkpoint's reading closed the message early: this packet is its rest, not a new one.
    boolean continues =
        burstStartNanos < 0
            && fromClient == burstFromClient
            && nanos - burstLastNanos < BURST_NANOS;
    closeBurst();
    burstContinues = continues;
    if (burstStartNanos >= 0 || lastNanos > 0) {
      maxSilenceNanos = Math.max(maxSilenceNanos, nanos - lastNanos);
    }
    burstFromClient = fromClient;
    burstStartNanos = nanos;
    burstLastNanos = nanos;
    burstBytes = payloadBytes;
    lastNanos = Math.max(lastNanos, nanos);
    return true;
  }

  /** Accounts the message being gathered; call before reading the counters. */
  public void closeBurst() {
    if (burstStartNanos < 0) {
      return;
    }
    long start = burstStartNanos;
    Direction d = burstFromClient ? client : server;
    d.seen++;
    boolean counted = d.seen > HANDSHAKE_MESSAGES;
    if (counted) {
      d.messages++;
      d.bytes += burstBytes;
      d.squares += (double) burstBytes * burstBytes;
      if (d.lastStartNanos >= 0) {
        double gap = (start - d.lastStartNanos) / 1e9;
        d.gapSum += gap;
        d.gapSquares += gap * gap;
        d.gaps++;
      }
      d.lastStartNanos = start;
    }
    // Larger than every answer so far, as a job is: a TLS closing alert or a keep-alive sent
    // after an answer is smaller.
    if (!burstFromClient
        && counted
        && lastWasCountedServer
        && client.messages > 0
        && smallestAnswer != Long.MAX_VALUE
        && burstBytes > smallestAnswer
        && !burstContinues) {
      serverRuns++;
    }
    lastWasCountedServer = !burstFromClient && counted;
    if (burstFromClient) {
      pendingClientNanos = counted ? start : -1;
      pendingClientBytes = burstBytes;
      lastClientEndNanos = burstLastNanos;
    } else {
      if (counted && (lastClientEndNanos < 0 || start - lastClientEndNanos > UNSOLICITED_NANOS)) {
        pushes++;
        pushBytes += burstBytes;
        if (lastPushNanos >= 0) {
          double gap = (start - lastPushNanos) / 1e9;
          pushGapSum += gap;
          pushGapSquares += gap * gap;
          pushGaps++;
        }
        lastPushNanos = start;
      }
      if (pendingClientNanos >= 0 && start - pendingClientNanos <= ANSWER_NANOS) {
        answered++;
        answerBytes += burstBytes;
        smallestAnswer = Math.min(smallestAnswer, burstBytes);
        answeredRequestBytes += pendingClientBytes;
      }
      pendingClientNanos = -1;
    }
    burstStartNanos = -1;
  }

  /**
   * Connection ages, in seconds, at which it is judged while still open; then every last-one past
   * the last.
   */
  static final int[] CHECKPOINTS = {30, 60, 120, 300, 600};

  /**
   * True once capture time {@code nanos} (a packet's, called before that packet is added; or a live
   * capture's clock) passes the connection's next checkpoint, and moves the checkpoint on. The
   * profile then reads as the session stood at the checkpoint, its length the checkpoint's age,
   * until {@link #checkpointJudged} or the next packet; so a mining session is judged on its first
   * 30 or 60 seconds, not only when it ends.
   */
  public boolean checkpointDue(long nanos) {
    long at = nextCheckpointNanos();
    if (at == Long.MAX_VALUE || nanos < at) {
      return false;
    }
    checkpoint++;
    checkpointNanos = at;
    return true;
  }

  /**
   * The checkpoint's judgement is made: the profile reads to its last packet again, so that a
   * connection ending with no packet after a checkpoint judged on the clock is judged at its end as
   * it stood at its last packet (as a file's is), not again at the checkpoint.
   */
  public void checkpointJudged() {
    checkpointNanos = -1;
  }

  /**
   * When the next checkpoint falls due, in capture time; {@link Long#MAX_VALUE} where the
   * connection will not be judged again while open (flagged likely, or bulk transfer).
   */
  public long nextCheckpointNanos() {
    if (flagged || bulk || firstNanos < 0) {
      return Long.MAX_VALUE;
    }
    int next =
        checkpoint < CHECKPOINTS.length
            ? CHECKPOINTS[checkpoint]
            : CHECKPOINTS[CHECKPOINTS.length - 1] * (checkpoint - CHECKPOINTS.length + 2);
    return firstNanos + next * 1_000_000_000L;
  }

  public boolean flagged() {
    return flagged;
  }

  public boolean suspected() {
    return suspected;
  }

  public boolean led() {
    return led;
  }

  /** True once it gave evidence or a lead: its flow's end must then be reported. */
  public boolean gaveEvidence() {
    return flagged || suspected || led;
  }

  public double durationSeconds() {
    return firstNanos < 0 ? 0 : (observedUntil() - firstNanos) / 1e9;
  }

  /** The end of what was seen: the checkpoint being judged, else the last packet. */
  private long observedUntil() {
    return checkpointNanos >= 0 ? Math.max(lastNanos, checkpointNanos) : lastNanos;
  }

  /** The longest time without a message, up to the end of what was seen. */
  long maxSilenceNanos() {
    return Math.max(maxSilenceNanos, observedUntil() - lastNanos);
  }

  public long clientMessages() {
    return client.messages;
  }

  public long serverMessages() {
    return server.messages;
  }
}
