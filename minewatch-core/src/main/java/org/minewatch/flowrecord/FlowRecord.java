package org.minewatch.flowrecord;

import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;

/**
 * One flow as an exporter reported it (NetFlow v5/v9, IPFIX, an nfdump export): one direction, or
 * both where the exporter counts the reverse direction too (RFC 5103 biflows).
 *
 * @param exporter who reported it: the exporter's address, or the file it came from
 * @param protocol the IP protocol number (6 TCP, 17 UDP)
 * @param reversePackets packets from destination to source, 0 for a one-way record
 * @param tcpFlags the OR of the TCP flags seen, 0 where not reported
 */
public record FlowRecord(
    String exporter,
    IpAddress source,
    int sourcePort,
    IpAddress destination,
    int destinationPort,
    int protocol,
    long packets,
    long bytes,
    long reversePackets,
    long reverseBytes,
    long firstNanos,
    long lastNanos,
    int tcpFlags) {

  public Endpoint sourceEndpoint() {
    return new Endpoint(source, sourcePort);
  }

  public Endpoint destinationEndpoint() {
    return new Endpoint(destination, destinationPort);
  }

  /** The transport's name as logs write it, or the protocol number. */
  public String transport() {
    return switch (protocol) {
      case 6 -> "tcp";
      case 17 -> "udp";
      case 1 -> "icmp";
      case 58 -> "icmp6";
      case 132 -> "sctp";
      default -> Integer.toString(protocol);
    };
  }

  /** The same flow seen from the other side: source and destination swapped, with their counts. */
  public FlowRecord reversed() {
    return new FlowRecord(
        exporter,
        destination,
        destinationPort,
        source,
        sourcePort,
        protocol,
        reversePackets,
        reverseBytes,
        packets,
        bytes,
        firstNanos,
        lastNanos,
        tcpFlags);
  }
}
