package org.minewatch.attribution.report;

import java.util.List;
import java.util.Map;
import org.minewatch.attribution.assess.Assessment;
import org.minewatch.attribution.registry.Unit;

/**
 * The figures of a report over merged findings. Counts are of mining addresses: hosts found mining
 * as clients (verdict {@code mining} or {@code likely}), each counted once.
 *
 * @param byRegion region name (or code, or "unknown") → mining addresses
 * @param kwhPerDay low, best, high over every mining address with a power estimate
 * @param hashrateByAlgorithm algorithm → summed estimate, with its unit
 */
public record ReportData(
    int miningHosts,
    int units,
    Map<String, Integer> byCategory,
    Map<String, Integer> byRegion,
    Map<String, Integer> byCoin,
    double shareGovUnivEnterprise,
    int compromised,
    int deliberate,
    int undetermined,
    double[] kwhPerDay,
    Map<String, double[]> kwhByRegion,
    Map<String, Rate> hashrateByAlgorithm,
    List<UnitRow> topUnits,
    List<OperationRow> topOperations,
    List<HostRow> hosts) {

  /** A summed hash rate. */
  public record Rate(double value, String unit, int hosts) {}

  /** A unit with its mining addresses and their energy per day (best estimate). */
  public record UnitRow(Unit unit, int hosts, double kwhBest, int compromised) {}

  /** An operation (one wallet or account) across hosts and units. */
  public record OperationRow(
      String id, String account, int hosts, int units, String coin, double kwhBest) {}

  /** One mining address as the report lists it. */
  public record HostRow(
      String host,
      Unit unit,
      String coin,
      String protocol,
      String pool,
      Assessment assessment,
      Double kwhBest) {}
}
