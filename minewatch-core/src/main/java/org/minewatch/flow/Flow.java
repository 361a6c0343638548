package org.minewatch.flow;

import org.minewatch.decode.DecodedPacket;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Transport;

/**
 * One bidirectional transport conversation. Side A is the source of the first packet seen; the
 * client is decided from the handshake, else from ports and the first payload.
 *
 * <p>Memory: about 200 bytes of fields and headers; while the flow is inspected, each TCP direction
 * adds a {@link StreamBuffer} of at most 16 KiB (2 KiB typically), drawn from the scan's {@link
 * StreamBudget}; flows that are ruled out or whose detector needs no more payload release their
 * buffers.
 */
public final class Flow {
  /** What the flow table still does with the payload. */
  public enum Stage {
    /** Payload goes to the detectors. */
    INSPECTING,
    /** A detector claimed the flow; payload goes to its session. */
    IN_SESSION,
    /** Only counters are kept. */
    COUNTING
  }

  final long aHi;
  final long aLo;
  final long bHi;
  final long bLo;
  final int aPort;
  final int bPort;
  final int ipProtocol;
  final int hash;
  final long id;

  boolean clientIsB;
  boolean orientationFromHandshake;
  long firstNanos;
  long lastNanos;
  long lastPosition;
  long packetsAtoB;
  long packetsBtoA;
  long bytesAtoB;
  long bytesBtoA;
  boolean finA;
  boolean finB;
  boolean reset;

  // Bookkeeping of the flow table: the intrusive expiry list the flow is in, and its class.
  Flow prev;
  Flow next;
  byte list;
  boolean closing;
  boolean claimed;
  // The reassembly budget the flow's buffers draw on, and its list of flows being inspected.
  StreamBudget budget;
  Flow budgetPrev;
  Flow budgetNext;

  private Stage stage = Stage.INSPECTING;
  private StreamBuffer streamA;
  private StreamBuffer streamB;
  // A SYN's sequence number, kept until the direction carries payload: most flows never do, and
  // a buffer made at every SYN was 3% of a scan's allocation.
  private int synSeqA;
  private int synSeqB;
  private boolean synA;
  private boolean synB;
  private int payloadPacketsA;
  private int payloadPacketsB;
  private long candidates;
  private Object session;
  private Object behaviour;

  Flow(
      long id,
      long aHi,
      long aLo,
      int aPort,
      long bHi,
      long bLo,
      int bPort,
      int ipProtocol,
      int hash) {
    this.id = id;
    this.aHi = aHi;
    this.aLo = aLo;
    this.aPort = aPort;
    this.bHi = bHi;
    this.bLo = bLo;
    this.bPort = bPort;
    this.ipProtocol = ipProtocol;
    this.hash = hash;
  }

  public long id() {
    return id;
  }

  public Transport transport() {
    return ipProtocol == 6 ? Transport.TCP : Transport.UDP;
  }

  public long firstNanos() {
    return firstNanos;
  }

  public long lastNanos() {
    return lastNanos;
  }

  /**
   * Where in the input its latest packet was (see {@link FlowTable#track(DecodedPacket, long)}).
   */
  public long lastPosition() {
    return lastPosition;
  }

  public long packets() {
    return packetsAtoB + packetsBtoA;
  }

  public long bytes() {
    return bytesAtoB + bytesBtoA;
  }

  public long packetsFromA() {
    return packetsAtoB;
  }

  public long packetsFromB() {
    return packetsBtoA;
  }

  public long bytesFromA() {
    return bytesAtoB;
  }

  public long bytesFromB() {
    return bytesBtoA;
  }

  public int aPort() {
    return aPort;
  }

  public int bPort() {
    return bPort;
  }

  /** Whether side B is the client (the initiator). */
  public boolean clientIsB() {
    return clientIsB;
  }

  public boolean orientationFromHandshake() {
    return orientationFromHandshake;
  }

  public Endpoint endpointA() {
    return new Endpoint(new IpAddress(aHi, aLo), aPort);
  }

  public Endpoint endpointB() {
    return new Endpoint(new IpAddress(bHi, bLo), bPort);
  }

  public Endpoint client() {
    return clientIsB ? endpointB() : endpointA();
  }

  public Endpoint server() {
    return clientIsB ? endpointA() : endpointB();
  }

  /**
   * A short label a person can find the flow by, e.g. {@code TCP 10.0.0.5:50123 -> 1.2.3.4:3333}.
   */
  public String label() {
    return transport().label() + " " + client() + " -> " + server();
  }

  /** Whether a detector has claimed the flow (see {@link FlowTable#claim}). */
  public boolean claimed() {
    return claimed;
  }

  public Stage stage() {
    return stage;
  }

  public void stage(Stage s) {
    this.stage = s;
  }

  /** The reassembly buffer of a direction, created on first use. */
  public StreamBuffer stream(boolean fromA) {
    if (fromA) {
      if (streamA == null) {
        streamA = newStream(synA, synSeqA);
      }
      return streamA;
    }
    if (streamB == null) {
      streamB = newStream(synB, synSeqB);
    }
    return streamB;
  }

  private StreamBuffer newStream(boolean synSeen, int synSeq) {
    StreamBuffer s = new StreamBuffer(budget, this);
    if (synSeen) {
      s.synchronize(synSeq);
    }
    return s;
  }

  /**
   * A direction's SYN: its sequence number places the first data byte. The first SYN counts, as in
   * {@link StreamBuffer#synchronize}.
   */
  public void synchronize(boolean fromA, int synSeq) {
    StreamBuffer s = fromA ? streamA : streamB;
    if (s != null) {
      s.synchronize(synSeq);
    } else if (fromA && !synA) {
      synA = true;
      synSeqA = synSeq;
    } else if (!fromA && !synB) {
      synB = true;
      synSeqB = synSeq;
    }
  }

  public StreamBuffer existingStream(boolean fromA) {
    return fromA ? streamA : streamB;
  }

  public void releaseStreams() {
    if (streamA != null) {
      streamA.release();
    }
    if (streamB != null) {
      streamB.release();
    }
    streamA = null;
    streamB = null;
    synA = false; // a buffer made after this starts where its first segment does, as before
    synB = false;
    if (budget != null) {
      budget.released(this);
    }
  }

  /** Payload held in the reassembly buffers, not yet consumed. */
  public int bufferedBytes() {
    return (streamA == null ? 0 : streamA.buffered()) + (streamB == null ? 0 : streamB.buffered());
  }

  /** Counts a payload-bearing packet of a direction; returns the new count. */
  public int countPayloadPacket(boolean fromA) {
    return fromA ? ++payloadPacketsA : ++payloadPacketsB;
  }

  public int payloadPackets(boolean fromA) {
    return fromA ? payloadPacketsA : payloadPacketsB;
  }

  /** Bit set of detectors that have not yet ruled the flow out (bit i = detector i). */
  public long candidates() {
    return candidates;
  }

  public void candidates(long bits) {
    this.candidates = bits;
  }

  /** The detector session following this flow, if any; typed by its owner. */
  public Object session() {
    return session;
  }

  public void session(Object s) {
    this.session = s;
  }

  /**
   * What is measured of the flow's shape while its content cannot be read, if anything; typed by
   * its owner.
   */
  public Object behaviour() {
    return behaviour;
  }

  public void behaviour(Object b) {
    this.behaviour = b;
  }
}
