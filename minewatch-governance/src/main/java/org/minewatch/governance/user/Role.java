package org.minewatch.governance.user;

import java.util.Locale;

/** What a user is, as the campaign's organisation divides the work. */
public enum Role {
  PROVINCE_ADMIN("province-admin"),
  /** Scoped to a region code and everything below it. */
  REGIONAL_OFFICER("regional-officer"),
  /** Issues orders: punitive prices, power cuts, summons. */
  ENERGY_REGULATOR("energy-regulator"),
  /** Executes price and power orders. */
  GRID_COMPANY("grid-company"),
  /** Sees only its own unit's cases; records self-inspection and rectification. */
  UNIT_CONTACT("unit-contact"),
  /** Reads everything, changes nothing. */
  AUDITOR("auditor"),
  /** Sends findings, nothing else. */
  SENSOR("sensor");

  private final String label;

  Role(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Role parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (Role r : values()) {
      if (r.label.equals(t)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "role \""
            + text
            + "\" is none of province-admin, regional-officer, "
            + "energy-regulator, grid-company, unit-contact, auditor, sensor");
  }
}
