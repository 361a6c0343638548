package org.minewatch.probe;

/**
 * How the probe presents itself to the endpoints it speaks to. Every login it sends is an address
 * whose checksum a pool accepts but whose coins no one can ever spend, so a probe never mines for
 * anyone, and the agent string says who is asking and why (docs/probe.md).
 */
public final class ProbeIdentity {
  /**
   * The agent (User-Agent) string every probe message carries where the dialect has a place for
   * one.
   */
  public static final String AGENT =
      "MineWatch-probe/0.1 (+purpose: confirming suspected mining pools for network operators)";

  /**
   * A Monero standard address (network byte 0x12) whose spend and view keys are the Keccak-256 of
   * "MineWatch-probe: no one holds the spend key of this address" and "MineWatch-probe: no one
   * holds the view key of this address": hashes, not keys made from a secret, so no one knows their
   * private keys. The Keccak-256 checksum is valid. {@code ProbeIdentityTest} derives it again.
   */
  public static final String MONERO_LOGIN =
      "48h9kFZEhzRRfgjSFdNz32hNQcrABDbBBZgjfCpMq5ydSM7dYPnAhxa7bBRZjWyGsHMXPUV7ewfcXfy28n57nuq8Kr3E6jo";

  /**
   * The well-known Bitcoin "eater" address: a valid Base58Check checksum around a hash no key
   * produced.
   */
  public static final String BITCOIN_LOGIN = "1BitcoinEaterAddressDontSendf59kuE";

  /** The well-known Ethereum burn address 0x…dEaD (EIP-55 checksum valid); no one holds its key. */
  public static final String ETHEREUM_LOGIN = "0x000000000000000000000000000000000000dEaD";

  /** The worker (rig) name where a dialect asks for one. */
  public static final String WORKER = "minewatch-probe";

  private ProbeIdentity() {}
}
