package org.minewatch.model;

/** The transport protocols the flow table tracks. */
public enum Transport {
  TCP(6),
  UDP(17);

  private final int ipProtocol;

  Transport(int ipProtocol) {
    this.ipProtocol = ipProtocol;
  }

  public int ipProtocol() {
    return ipProtocol;
  }

  public String label() {
    return name();
  }
}
