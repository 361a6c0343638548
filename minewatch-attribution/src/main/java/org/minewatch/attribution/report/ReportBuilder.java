package org.minewatch.attribution.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.minewatch.attribution.Attribution;
import org.minewatch.attribution.Attributor;
import org.minewatch.attribution.MiningHost;
import org.minewatch.attribution.assess.Assessment;
import org.minewatch.attribution.assess.Assessor;
import org.minewatch.attribution.geo.Geo;
import org.minewatch.attribution.geo.GeoLocator;
import org.minewatch.attribution.registry.Unit;
import org.minewatch.attribution.registry.UnitCategory;
import org.minewatch.attribution.registry.UnitRegistry;
import org.minewatch.model.IpAddress;

/**
 * Merges findings from any number of scans and computes the report's figures. A host in a role
 * counts once; where scans disagree, the stronger verdict, the earliest first sighting, and the
 * larger hash-rate and energy figures are kept (the same rig seen twice is one rig). A host's unit
 * comes from the registry given now, else from the unit its finding already carried.
 */
public final class ReportBuilder {
  private static final int TOP = 10;
  private static final List<String> VERDICTS = List.of("mining", "likely", "node", "suspect");

  private ReportBuilder() {}

  public static ReportData build(
      List<FindingsReader.Row> rows, UnitRegistry registry, Assessor assessor) {
    return build(rows, registry, List.of(), assessor);
  }

  /**
   * @param geo databases that place hosts without a unit (in order, each filling the gaps of the
   *     earlier); the places findings already carry come first
   */
  public static ReportData build(
      List<FindingsReader.Row> rows,
      UnitRegistry registry,
      List<GeoLocator> geo,
      Assessor assessor) {
    Map<String, MiningHost> merged = new LinkedHashMap<>();
    Map<IpAddress, Unit> knownUnits = new HashMap<>();
    Map<IpAddress, Geo> places = new HashMap<>();
    for (FindingsReader.Row r : rows) {
      MiningHost h = r.host();
      merged.merge(h.host() + "|" + h.role(), h, ReportBuilder::merge);
      if (r.unit() != null) {
        knownUnits.putIfAbsent(h.host(), r.unit());
      }
      if (r.geo() != null) {
        places.putIfAbsent(h.host(), r.geo());
      }
    }
    List<MiningHost> hosts = new ArrayList<>(merged.values());
    Map<IpAddress, Attribution> attributed =
        new Attributor(registry, geo, assessor).attribute(hosts, knownUnits, places);
    List<MiningHost> mining =
        hosts.stream()
            .filter(MiningHost::mining)
            .sorted(Comparator.comparing(MiningHost::host))
            .toList();

    Map<String, Integer> byCategory = new LinkedHashMap<>();
    for (UnitCategory c : UnitCategory.values()) {
      byCategory.put(c.label(), 0);
    }
    Map<String, Integer> byRegion = new TreeMap<>();
    Map<String, Integer> byCoin = new TreeMap<>();
    Map<String, double[]> kwhByRegion = new TreeMap<>();
    Map<String, ReportData.Rate> rates = new TreeMap<>();
    double[] kwh = new double[3];
    int institutional = 0;
    int compromised = 0;
    int deliberate = 0;
    int undetermined = 0;
    Set<String> unitNames = new HashSet<>();
    Map<String, int[]> unitCounts = new LinkedHashMap<>();
    Map<String, Unit> unitByName = new HashMap<>();
    Map<String, double[]> unitKwh = new HashMap<>();
    Map<String, List<MiningHost>> operations = new LinkedHashMap<>();
    List<ReportData.HostRow> hostRows = new ArrayList<>();
    for (MiningHost h : mining) {
      Attribution at = attributed.get(h.host());
      Unit u = at == null ? null : at.unit();
      UnitCategory category = u == null ? UnitCategory.UNKNOWN : u.category();
      byCategory.merge(category.label(), 1, Integer::sum);
      institutional += category.institutional() ? 1 : 0;
      String region = u != null ? region(u) : place(at == null ? null : at.geo());
      byRegion.merge(region, 1, Integer::sum);
      byCoin.merge(h.coin() == null ? "unknown" : h.coin(), 1, Integer::sum);
      Assessment a = at == null ? null : at.assessment();
      Assessment.Kind kind = a == null ? Assessment.Kind.UNDETERMINED : a.kind();
      compromised += kind == Assessment.Kind.COMPROMISED ? 1 : 0;
      deliberate += kind == Assessment.Kind.DELIBERATE ? 1 : 0;
      undetermined += kind == Assessment.Kind.UNDETERMINED ? 1 : 0;
      double[] e = h.kwhPerDay();
      if (e != null) {
        double[] r = kwhByRegion.computeIfAbsent(region, k -> new double[3]);
        for (int i = 0; i < 3; i++) {
          kwh[i] += e[i];
          r[i] += e[i];
        }
      }
      if (h.hashrate() != null && h.algorithm() != null) {
        rates.merge(
            h.algorithm(),
            new ReportData.Rate(h.hashrate(), h.hashrateUnit(), 1),
            (x, y) -> new ReportData.Rate(x.value() + y.value(), x.unit(), x.hosts() + y.hosts()));
      }
      if (u != null) {
        unitNames.add(u.name());
        unitByName.putIfAbsent(u.name(), u);
        int[] c = unitCounts.computeIfAbsent(u.name(), k -> new int[2]);
        c[0]++;
        c[1] += kind == Assessment.Kind.COMPROMISED ? 1 : 0;
        unitKwh.computeIfAbsent(u.name(), k -> new double[1])[0] += e == null ? 0 : e[1];
      }
      if (h.operation() != null) {
        operations.computeIfAbsent(h.operation(), k -> new ArrayList<>()).add(h);
      }
      hostRows.add(
          new ReportData.HostRow(
              h.host().toString(),
              u,
              h.coin(),
              h.protocol(),
              h.poolName(),
              a,
              e == null ? null : e[1]));
    }
    List<ReportData.UnitRow> topUnits = new ArrayList<>();
    unitCounts.forEach(
        (name, c) ->
            topUnits.add(
                new ReportData.UnitRow(unitByName.get(name), c[0], unitKwh.get(name)[0], c[1])));
    topUnits.sort(
        Comparator.comparingInt(ReportData.UnitRow::hosts)
            .reversed()
            .thenComparing(Comparator.comparingDouble(ReportData.UnitRow::kwhBest).reversed())
            .thenComparing(r -> r.unit().name()));
    List<ReportData.OperationRow> topOps = new ArrayList<>();
    operations.forEach(
        (id, list) -> {
          Set<String> us = new HashSet<>();
          double k = 0;
          for (MiningHost h : list) {
            Attribution at = attributed.get(h.host());
            Unit u = at == null ? null : at.unit();
            us.add(u == null ? "?" + h.host() : u.name());
            k += h.kwhPerDay() == null ? 0 : h.kwhPerDay()[1];
          }
          MiningHost first = list.get(0);
          String account = first.wallet() != null ? first.wallet() : first.login();
          topOps.add(
              new ReportData.OperationRow(id, account, list.size(), us.size(), first.coin(), k));
        });
    topOps.sort(
        Comparator.comparingInt(ReportData.OperationRow::hosts)
            .reversed()
            .thenComparing(Comparator.comparingDouble(ReportData.OperationRow::kwhBest).reversed())
            .thenComparing(ReportData.OperationRow::id));
    int n = mining.size();
    return new ReportData(
        n,
        unitNames.size(),
        byCategory,
        byRegion,
        byCoin,
        n == 0 ? 0 : (double) institutional / n,
        compromised,
        deliberate,
        undetermined,
        kwh,
        kwhByRegion,
        rates,
        List.copyOf(topUnits.subList(0, Math.min(TOP, topUnits.size()))),
        List.copyOf(topOps.subList(0, Math.min(TOP, topOps.size()))),
        hostRows);
  }

  /**
   * Where the databases place a host without a unit: province and city, else country, else
   * "unknown".
   */
  static String place(Geo g) {
    if (g == null) {
      return "unknown";
    }
    if (g.province() != null) {
      return g.city() != null && !g.city().equals(g.province())
          ? g.province() + " " + g.city()
          : g.province();
    }
    return g.country() != null ? g.country() : "unknown";
  }

  /** The region's name, else its code, else "unknown". */
  static String region(Unit u) {
    if (u == null) {
      return "unknown";
    }
    return u.region() != null ? u.region() : u.regionCode() != null ? u.regionCode() : "unknown";
  }

  private static MiningHost merge(MiningHost a, MiningHost b) {
    boolean aStronger = VERDICTS.indexOf(a.verdict()) <= VERDICTS.indexOf(b.verdict());
    MiningHost s = aStronger ? a : b;
    MiningHost w = aStronger ? b : a;
    Double rate = max(a.hashrate(), b.hashrate());
    double[] kwh =
        a.kwhPerDay() == null
            ? b.kwhPerDay()
            : b.kwhPerDay() == null
                ? a.kwhPerDay()
                : a.kwhPerDay()[1] >= b.kwhPerDay()[1] ? a.kwhPerDay() : b.kwhPerDay();
    List<String> peers = new ArrayList<>(s.peers());
    w.peers().stream().filter(p -> !peers.contains(p)).forEach(peers::add);
    List<String> workers = new ArrayList<>(s.workers());
    w.workers().stream().filter(x -> !workers.contains(x)).forEach(workers::add);
    return new MiningHost(
        s.host(),
        s.role(),
        s.verdict(),
        or(s.coin(), w.coin()),
        or(s.protocol(), w.protocol()),
        peers,
        or(s.login(), w.login()),
        or(s.worker(), w.worker()),
        workers,
        or(s.agent(), w.agent()),
        min(a.firstSeen(), b.firstSeen()),
        max(a.lastSeen(), b.lastSeen()),
        or(s.poolName(), w.poolName()),
        or(s.wallet(), w.wallet()),
        or(s.operation(), w.operation()),
        or(s.algorithm(), w.algorithm()),
        rate,
        rate == null ? null : (rate.equals(a.hashrate()) ? a.hashrateUnit() : b.hashrateUnit()),
        kwh,
        a.tls() || b.tls());
  }

  private static <T> T or(T a, T b) {
    return a != null ? a : b;
  }

  private static Double max(Double a, Double b) {
    if (a == null) {
      return b; // no conditional expression: it would unbox a null
    }
    if (b == null) {
      return a;
    }
    return Math.max(a, b);
  }

  private static java.time.Instant min(java.time.Instant a, java.time.Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private static java.time.Instant max(java.time.Instant a, java.time.Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }
}
