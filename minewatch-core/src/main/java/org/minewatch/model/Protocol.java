package org.minewatch.model;

/** The protocols a finding can name; the label is the value used in every output. */
public enum Protocol {
  STRATUM_V1("stratum-v1", true),
  STRATUM_XMR("stratum-xmr", true),
  ETH_PROXY("eth-proxy", true),
  ETHEREUM_STRATUM("ethereum-stratum", true),
  GETWORK_HTTP("getwork-http", true),
  GETBLOCKTEMPLATE_HTTP("getblocktemplate-http", true),
  MINER_HTTP("miner-http", true),
  BITCOIN_P2P("bitcoin-p2p", false),
  MONERO_LEVIN("monero-levin", false),
  ETHEREUM_DEVP2P("ethereum-devp2p", false),
  NANO_NODE("nano-node", false),
  CASPER_ZUG("casper-zug", false);

  private final String label;
  private final boolean mining;

  Protocol(String label, boolean mining) {
    this.label = label;
    this.mining = mining;
  }

  public String label() {
    return label;
  }

  /** Whether the protocol is one a miner speaks to a pool or node to get work. */
  public boolean isMining() {
    return mining;
  }
}
