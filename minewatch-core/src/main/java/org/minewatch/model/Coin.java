package org.minewatch.model;

import java.util.Locale;

/** Coins MineWatch can name. The label is the lower-case name used in every output. */
public enum Coin {
  BITCOIN,
  BITCOIN_CASH,
  LITECOIN,
  DOGECOIN,
  DASH,
  ZCASH,
  MONERO,
  ETHEREUM,
  ETHEREUM_CLASSIC,
  RAVENCOIN,
  WOWNERO,
  HAVEN,
  TURTLECOIN,
  RAPTOREUM,
  NAMECOIN,
  ARQMA,
  CONCEAL,
  GRAFT,
  NANO,
  CASPER;

  private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

  public String label() {
    return label;
  }

  /** The coin with this label; an error naming the label where there is none. */
  public static Coin fromLabel(String s) {
    for (Coin c : values()) {
      if (c.label.equals(s)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown coin: " + s);
  }
}
