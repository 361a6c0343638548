package org.minewatch.flowrecord;

import org.minewatch.model.IpAddress;

/**
 * One flow record as primitive values, reused from record to record so that decoding allocates
 * nothing per record; the same values as {@link FlowRecord}, addresses as their two longs ({@link
 * IpAddress#hi()}, {@link IpAddress#lo()}).
 */
public final class FlowView {
  String exporter;
  long sourceHi;
  long sourceLo;
  int sourcePort;
  long destinationHi;
  long destinationLo;
  int destinationPort;
  int protocol;
  long packets;
  long bytes;
  long reversePackets;
  long reverseBytes;
  long firstNanos;
  long lastNanos;
  int tcpFlags;

  public String exporter() {
    return exporter;
  }

  public long sourceHi() {
    return sourceHi;
  }

  public long sourceLo() {
    return sourceLo;
  }

  public int sourcePort() {
    return sourcePort;
  }

  public long destinationHi() {
    return destinationHi;
  }

  public long destinationLo() {
    return destinationLo;
  }

  public int destinationPort() {
    return destinationPort;
  }

  public int protocol() {
    return protocol;
  }

  public long packets() {
    return packets;
  }

  public long bytes() {
    return bytes;
  }

  public long reversePackets() {
    return reversePackets;
  }

  public long reverseBytes() {
    return reverseBytes;
  }

  public long firstNanos() {
    return firstNanos;
  }

  public long lastNanos() {
    return lastNanos;
  }

  public int tcpFlags() {
    return tcpFlags;
  }

  public IpAddress source() {
    return new IpAddress(sourceHi, sourceLo);
  }

  public IpAddress destination() {
    return new IpAddress(destinationHi, destinationLo);
  }

  /** The record as an object of its own, to keep beyond the call that delivered the view. */
  public FlowRecord toRecord() {
    return new FlowRecord(
        exporter,
        source(),
        sourcePort,
        destination(),
        destinationPort,
        protocol,
        packets,
        bytes,
        reversePackets,
        reverseBytes,
        firstNanos,
        lastNanos,
        tcpFlags);
  }

  /** Takes the values of {@code r}: the way in for records read as objects (nfdump CSV). */
  FlowView set(FlowRecord r) {
    exporter = r.exporter();
    sourceHi = r.source().hi();
    sourceLo = r.source().lo();
    sourcePort = r.sourcePort();
    destinationHi = r.destination().hi();
    destinationLo = r.destination().lo();
    destinationPort = r.destinationPort();
    protocol = r.protocol();
    packets = r.packets();
    bytes = r.bytes();
    reversePackets = r.reversePackets();
    reverseBytes = r.reverseBytes();
    firstNanos = r.firstNanos();
    lastNanos = r.lastNanos();
    tcpFlags = r.tcpFlags();
    return this;
  }
}
