package org.minewatch.model;

/** The protocols a finding can name; the label is the value used in every output. */
public enum Protocol {
  STRATUM_V1("stratum-v1"),
  STRATUM_XMR("stratum-xmr"),
  STRATUM_V2("stratum-v2"),
  ETH_PROXY("eth-proxy"),
  ETHEREUM_STRATUM("ethereum-stratum"),
  GETWORK_HTTP("getwork-http"),
  GETBLOCKTEMPLATE_HTTP("getblocktemplate-http"),
  MINER_HTTP("miner-http"),
  /** An in-browser miner's WebSocket protocol (Coinhive-style or webminerpool-style messages). */
  WEB_MINER("web-miner-ws"),
  /** No protocol could be read: an encrypted or opaque connection shaped like a mining session. */
  MINING_BEHAVIOUR("mining-behaviour"),
  BITCOIN_P2P("bitcoin-p2p"),
  MONERO_LEVIN("monero-levin"),
  ETHEREUM_DEVP2P("ethereum-devp2p"),
  NANO_NODE("nano-node"),
  CASPER_ZUG("casper-zug");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
