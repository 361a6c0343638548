package org.minewatch.governance.order;

import java.util.Locale;

/** How a tariff policy charges: what the rate is multiplied by. */
public enum PolicyKind {
  /** A surcharge per kWh on the consumption of the mining itself. */
  SURCHARGE("surcharge"),
  /** A surcharge per kWh on all the consumption of the electricity account the mining used. */
  WHOLE_ACCOUNT_SURCHARGE("whole-account-surcharge"),
  /**
   * Unauthorised change of tariff category (Power Supply Business Rules): the tariff difference
   * plus twice the difference as a penalty, three months when the start date is unknown.
   */
  TARIFF_MISUSE("tariff-misuse");

  private final String label;

  PolicyKind(String label) {
    this.label = label;
  }

  /** The name used in the CSV table and in the message keys. */
  public String label() {
    return label;
  }

  /**
   * @throws IllegalArgumentException listing the known kinds
   */
  public static PolicyKind fromLabel(String label) {
    String l = label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
    for (PolicyKind k : values()) {
      if (k.label.equals(l)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown kind '"
            + label
            + "' (expected surcharge, whole-account-surcharge or tariff-misuse)");
  }
}
