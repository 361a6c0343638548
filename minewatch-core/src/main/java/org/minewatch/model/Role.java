package org.minewatch.model;

/** What a host does in a finding. */
public enum Role {
  /** Speaks a mining protocol as a client. */
  MINER,
  /** Serves a mining protocol. */
  POOL,
  /** Takes part in a blockchain's peer-to-peer network. */
  NODE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
