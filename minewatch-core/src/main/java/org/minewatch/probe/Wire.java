package org.minewatch.probe;

/** How a probe connection carries the dialect: as it is, or inside TLS. */
public enum Wire {
  CLEAR("clear"),
  TLS("TLS");

  private final String label;

  Wire(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
