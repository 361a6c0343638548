package org.minewatch.model;

/** One side of a flow: an address and a port (0 where the transport has none). */
public record Endpoint(IpAddress address, int port) implements Comparable<Endpoint> {

  @Override
  public int compareTo(Endpoint o) {
    int c = address.compareTo(o.address);
    return c != 0 ? c : Integer.compare(port, o.port);
  }

  @Override
  public String toString() {
    return address.isV4() ? address + ":" + port : "[" + address + "]:" + port;
  }
}
