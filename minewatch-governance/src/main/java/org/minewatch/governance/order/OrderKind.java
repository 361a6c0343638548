package org.minewatch.governance.order;

/** The orders a regulator issues in a mining case. */
public enum OrderKind {
  /** Punitive electricity price (惩罚性电价), to the unit. */
  PRICE("price"),
  /** Disconnection of the supply (停电/断电通知), to the grid company. */
  POWER_CUT("power-cut"),
  /** Summons to a meeting with the regulator (约谈通知), to the unit. */
  SUMMONS("summons");

  private final String label;

  OrderKind(String label) {
    this.label = label;
  }

  /** The name used in message keys and stored records. */
  public String label() {
    return label;
  }
}
