package org.minewatch.governance.cases;

import java.util.Locale;

/** Where a case stands, in the campaign's words and in the API's. */
public enum CaseState {
  DETECTED("detected", "监测发现"),
  DISPATCHED("dispatched", "推送"),
  OWNERSHIP_VERIFIED("ownership-verified", "归属核查"),
  INSPECTED("inspected", "现场检查"),
  DISPOSED("disposed", "处置"),
  RECTIFYING("rectifying", "整改"),
  RECHECKED("rechecked", "复查"),
  CLOSED("closed", "销号"),
  REJECTED("rejected", "误报驳回"),
  REOPENED("reopened", "重新打开");

  private final String label;
  private final String zh;

  CaseState(String label, String zh) {
    this.label = label;
    this.zh = zh;
  }

  public String label() {
    return label;
  }

  public String zh() {
    return zh;
  }

  /** Closed and rejected cases are finished; a unit has at most one case that is not. */
  public boolean open() {
    return this != CLOSED && this != REJECTED;
  }

  /** States in which fresh mining from a case's hosts reopens it: the re-check is the data. */
  public boolean reopensOnMining() {
    return this == RECTIFYING || this == RECHECKED || this == CLOSED;
  }

  public static CaseState parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (CaseState s : values()) {
      if (s.label.equals(t)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "\""
            + text
            + "\" is not a case state (detected, dispatched, "
            + "ownership-verified, inspected, disposed, rectifying, rechecked, closed, rejected, reopened)");
  }
}
