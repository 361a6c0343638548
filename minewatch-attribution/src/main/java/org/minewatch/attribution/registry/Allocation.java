package org.minewatch.attribution.registry;

/** One imported line: a range, the unit holding it, and where the line came from. */
public record Allocation(IpRange range, Unit unit, String source, long line) {
  public String where() {
    return source + ": line " + line;
  }
}
