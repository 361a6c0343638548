package org.minewatch.attribution.assess;

import java.io.IOException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.minewatch.attribution.MiningHost;
import org.minewatch.attribution.registry.Unit;
import org.minewatch.estimate.PowerModel;
import org.minewatch.model.IpAddress;
import org.minewatch.operation.Operation;
import org.minewatch.operation.OperationGrouper;

/**
 * Judges, host by host, whether mining is the unit's own doing or an intruder's, from reasons a
 * person can check. Signs of compromise: XMRig-family software on a server of a government,
 * institution, university or enterprise; one wallet shared by hosts of unrelated units; a pool
 * mining malware favours; mining over TLS to port 443; worker names that are host names or random
 * strings; mining that starts at night or at the weekend. Signs of intent: ASIC miner software;
 * several hosts of one unit (or one /24) mining with one account; a hash rate only dedicated
 * hardware reaches. Strong signs weigh 2, the others 1 (night: ½); the side with at least 2 that
 * outweighs the other decides, else it stays undetermined.
 */
public final class Assessor {
  private static final Pattern HOSTNAME_WORKER =
      Pattern.compile(
          "(ip-\\d{1,3}-\\d{1,3}-\\d{1,3}-\\d{1,3}.*|[a-z][a-z0-9-]*\\.[a-z0-9.-]*[a-z]|(web|db|srv|server|node|host|app|"
              + "vm|ecs|cvm|k8s|worker|master|prod|dev|test)[-_]?\\d+|localhost(\\.localdomain)?)",
          Pattern.CASE_INSENSITIVE);

  /** Hash rates a single compromised server does not reach, per algorithm (H/s or Sol/s). */
  private static final Map<String, Double> DEDICATED =
      Map.of(
          "sha256d",
          1e12,
          "scrypt",
          1e8,
          "ethash",
          1e8,
          "kawpow",
          5e7,
          "randomx",
          5e4,
          "cryptonight",
          5e4,
          "equihash-200-9",
          1e4,
          "equihash-144-5",
          1e3);

  private final Set<String> botnetPools;
  private final ZoneId zone;

  public Assessor(Set<String> botnetPools, ZoneId zone) {
    this.botnetPools = Set.copyOf(botnetPools);
    this.zone = zone;
  }

  /** With the pools malware favours as shipped, and local time in China. */
  public static Assessor defaults() {
    return new Assessor(loadBotnetPools(), ZoneId.of("Asia/Shanghai"));
  }

  static Set<String> loadBotnetPools() {
    Set<String> pools = new LinkedHashSet<>();
    try (java.io.InputStream in = Assessor.class.getResourceAsStream("botnet-pools.txt")) {
      pools.addAll(org.minewatch.io.DataLines.contentLines(in));
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("botnet-pools.txt is missing from the build", e);
    }
    return pools;
  }

  /**
   * The assessment of every miner among {@code hosts}, by address; {@code units} gives a host's
   * unit or null.
   */
  public Map<IpAddress, Assessment> assess(
      List<MiningHost> hosts, Function<IpAddress, Unit> units) {
    List<MiningHost> miners = hosts.stream().filter(MiningHost::miner).toList();
    Map<String, Set<String>> unitsByWallet = new HashMap<>();
    Map<String, Set<IpAddress>> hostsByAccountAndPlace = new HashMap<>();
    for (MiningHost m : miners) {
      Unit u = units.apply(m.host());
      // The beneficiary is the operation the scan grouped the miner in: one wallet, or one account
      // on one pool.
      String beneficiary = m.operation();
      if (beneficiary != null && u != null) {
        unitsByWallet.computeIfAbsent(beneficiary, k -> new TreeSet<>()).add(u.name());
      }
      if (beneficiary != null) {
        hostsByAccountAndPlace
            .computeIfAbsent(beneficiary + "|" + place(m.host(), u), k -> new TreeSet<>())
            .add(m.host());
      }
    }
    Map<IpAddress, Assessment> out = new HashMap<>();
    for (MiningHost m : miners) {
      out.put(m.host(), assess(m, units.apply(m.host()), unitsByWallet, hostsByAccountAndPlace));
    }
    return out;
  }

  private Assessment assess(
      MiningHost m,
      Unit unit,
      Map<String, Set<String>> unitsByWallet,
      Map<String, Set<IpAddress>> hostsByAccountAndPlace) {
    List<Reason> reasons = new ArrayList<>();
    double compromise = 0;
    double intent = 0;
    String hardware = PowerModel.hardwareOf(m.agent());
    String agent = m.agent() == null ? "" : m.agent().toLowerCase(Locale.ROOT);
    boolean xmrigFamily = agent.contains("xmrig") || agent.contains("xmr-stak");
    if (xmrigFamily && unit != null && unit.category().institutional()) {
      compromise += 2;
      reasons.add(
          Reason.of(
              "assess.xmrig_institutional",
              m.agent(),
              unit.name(),
              Reason.of("category." + unit.category().label())));
    }
    String beneficiary = m.operation();
    if (beneficiary != null) {
      Set<String> others = new TreeSet<>(unitsByWallet.getOrDefault(beneficiary, Set.of()));
      if (unit != null) {
        others.remove(unit.name());
      }
      // A host of a known unit shares with any other unit; one of unknown unit, with two unrelated
      // ones.
      if (others.size() >= (unit != null ? 1 : 2)) {
        compromise += 2;
        reasons.add(
            Reason.of(
                others.size() > 1 ? "assess.shared_account_many" : "assess.shared_account_one",
                account(m),
                others.size(),
                String.join(", ", others)));
      }
    }
    if (m.poolName() != null && botnetPools.contains(m.poolName())) {
      compromise += 1;
      reasons.add(Reason.of("assess.botnet_pool", m.poolName()));
    }
    if (m.peerPorts().contains(443) && (m.tls() || "mining-behaviour".equals(m.protocol()))) {
      compromise += 1;
      reasons.add(Reason.of("assess.tls_443"));
    }
    for (String w : workerNames(m)) {
      String why = suspiciousWorker(w, m.host());
      if (why != null) {
        compromise += 1;
        reasons.add(Reason.of("assess.worker", w, Reason.of(why)));
        break;
      }
    }
    if (m.firstSeen() != null) {
      ZonedDateTime local = m.firstSeen().atZone(zone);
      boolean night = local.getHour() < 7 || local.getHour() >= 22;
      boolean weekend =
          local.getDayOfWeek() == DayOfWeek.SATURDAY || local.getDayOfWeek() == DayOfWeek.SUNDAY;
      if (night || weekend) {
        compromise += 0.5;
        reasons.add(
            Reason.of(
                "assess.off_hours",
                String.format(Locale.ROOT, "%02d:%02d", local.getHour(), local.getMinute()),
                Reason.of("day." + local.getDayOfWeek().name()),
                zone));
      }
    }
    if ("asic".equals(hardware)) {
      intent += 2;
      reasons.add(Reason.of("assess.asic", m.agent()));
    }
    if (beneficiary != null) {
      Set<IpAddress> together =
          hostsByAccountAndPlace.getOrDefault(beneficiary + "|" + place(m.host(), unit), Set.of());
      if (together.size() >= Operation.FARM_HOSTS) {
        intent += 2;
        reasons.add(
            Reason.of(
                "assess.farm",
                together.size(),
                unit != null ? unit.name() : Reason.of("assess.one_network"),
                account(m)));
      }
    }
    Double dedicated = m.algorithm() == null ? null : DEDICATED.get(m.algorithm());
    if (m.hashrate() != null && dedicated != null && m.hashrate() >= dedicated) {
      intent += 1;
      reasons.add(
          Reason.of(
              "assess.hashrate",
              String.format(Locale.ROOT, "%.3g", m.hashrate()),
              m.hashrateUnit(),
              m.algorithm()));
    }
    Assessment.Kind kind =
        compromise >= 2 && compromise > intent
            ? Assessment.Kind.COMPROMISED
            : intent >= 2 && intent > compromise
                ? Assessment.Kind.DELIBERATE
                : Assessment.Kind.UNDETERMINED;
    return new Assessment(kind, List.copyOf(reasons));
  }

  /** The beneficiary as a person reads it: the wallet, else the account and its pool. */
  private static Reason account(MiningHost m) {
    if (m.wallet() != null) {
      return Reason.of("assess.wallet", m.wallet());
    }
    return m.poolName() != null
        ? Reason.of("assess.login_on", m.login(), m.poolName())
        : Reason.of("assess.login", m.login());
  }

  /** The unit's name, or the /24 (IPv4) or /64 (IPv6) where no unit is known. */
  private static String place(IpAddress a, Unit u) {
    return u != null ? "unit:" + u.name() : OperationGrouper.network(a);
  }

  private static List<String> workerNames(MiningHost m) {
    List<String> names = new ArrayList<>(m.workers());
    if (m.worker() != null && !names.contains(m.worker())) {
      names.add(0, m.worker());
    }
    return names;
  }

  /** Why a worker name looks like an intruder's (a reason's code), or null. */
  static String suspiciousWorker(String w, IpAddress host) {
    if (w.equals(host.toString())
        || w.replace('-', '.').replace('_', '.').contains(host.toString())) {
      return "assess.worker_address";
    }
    if (HOSTNAME_WORKER.matcher(w).matches()) {
      return "assess.worker_hostname";
    }
    if (w.length() >= 10
        && w.chars().allMatch(Character::isLetterOrDigit)
        && entropy(w) >= 3.2
        && w.chars().anyMatch(Character::isDigit)
        && w.chars().anyMatch(Character::isLetter)) {
      return "assess.worker_random";
    }
    return null;
  }

  /** Shannon entropy in bits per character. */
  static double entropy(String s) {
    Map<Integer, Integer> counts = new HashMap<>();
    s.chars().forEach(c -> counts.merge(c, 1, Integer::sum));
    double h = 0;
    for (int n : counts.values()) {
      double p = (double) n / s.length();
      h -= p * Math.log(p) / Math.log(2);
    }
    return h;
  }
}
