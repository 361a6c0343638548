package org.minewatch.model;

/** One side of a flow: an address and a port (0 where the transport has none). */
public record Endpoint(IpAddress address, int port) {

  @Override
  public String toString() {
    return address.isV4() ? address + ":" + port : "[" + address + "]:" + port;
  }
}
