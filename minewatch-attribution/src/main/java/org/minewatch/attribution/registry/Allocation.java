package org.minewatch.attribution.registry;

/**
 * One imported record: a range, the unit holding it, and where the record came from.
 *
 * @param column the record's column in its line (JSON, where one line may hold many records), or 0
 */
public record Allocation(IpRange range, Unit unit, String source, long line, int column) {
  public Allocation(IpRange range, Unit unit, String source, long line) {
    this(range, unit, source, line, 0);
  }

  public String where() {
    return source + ": line " + line + (column > 0 ? ", column " + column : "");
  }
}
