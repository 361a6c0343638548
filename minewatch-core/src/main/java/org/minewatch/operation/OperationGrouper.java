package org.minewatch.operation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Role;

/**
 * Groups miners by beneficiary: the same wallet address (checksum verified), else the same pool
 * account name on the same pool. Names each group with an id that does not change between scans, so
 * that operations seen by several sensors or on several days can be matched.
 */
public final class OperationGrouper {
  private OperationGrouper() {}

  /** The findings with their operation named, and the operations. */
  public record Result(List<Finding> findings, List<Operation> operations) {}

  public static Result group(List<Finding> findings) {
    Map<String, List<Finding>> byKey = new LinkedHashMap<>();
    for (Finding f : findings) {
      String key = key(f);
      if (key != null) {
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
      }
    }
    Map<String, String> idByKey = new LinkedHashMap<>();
    List<Operation> operations = new ArrayList<>();
    for (Map.Entry<String, List<Finding>> e : byKey.entrySet()) {
      String id = "op-" + shortHash(e.getKey());
      idByKey.put(e.getKey(), id);
      TreeSet<IpAddress> miners = new TreeSet<>();
      TreeSet<IpAddress> pools = new TreeSet<>();
      Map<String, Double> rates = new TreeMap<>();
      double watts = 0;
      for (Finding f : e.getValue()) {
        miners.add(f.host());
        for (Endpoint peer : f.peers()) {
          pools.add(peer.address());
        }
        if (f.hashRate() != null && !f.hashRate().tooFewShares()) {
          rates.merge(f.hashRate().algorithm().label(), f.hashRate().value(), Double::sum);
        }
        if (f.power() != null) {
          watts += f.power().bestWatts();
        }
      }
      String kind = e.getKey().startsWith("wallet:") ? "wallet" : "account";
      String value = e.getKey().substring(e.getKey().indexOf(':') + 1);
      operations.add(
          new Operation(
              id,
              kind,
              value,
              List.copyOf(miners),
              List.copyOf(pools),
              Map.copyOf(rates),
              watts,
              farm(miners)));
    }
    operations.sort(
        (a, b) ->
            a.miners().size() != b.miners().size()
                ? b.miners().size() - a.miners().size()
                : a.id().compareTo(b.id()));
    List<Finding> named = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      String key = key(f);
      named.add(key == null ? f : f.withOperation(idByKey.get(key)));
    }
    return new Result(named, operations);
  }

  /**
   * The beneficiary of a miner: its wallet, else its account qualified by the pools it uses (an
   * account name is only unique within one pool). Null for non-miners and unknown logins.
   */
  static String key(Finding f) {
    if (f.role() != Role.MINER) {
      return null;
    }
    if (f.wallet() != null) {
      return "wallet:" + f.wallet().address();
    }
    if (f.login() == null || f.login().isBlank()) {
      return null;
    }
    TreeSet<IpAddress> pools = new TreeSet<>();
    for (Endpoint p : f.peers()) {
      pools.add(p.address());
    }
    return "account:"
        + f.login()
        + "@"
        + pools.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(","));
  }

  /** Whether enough miners share one network (/24 for IPv4, /64 for IPv6) to be one site. */
  static boolean farm(java.util.Collection<IpAddress> miners) {
    Map<String, Integer> perNetwork = new java.util.HashMap<>();
    for (IpAddress a : miners) {
      if (perNetwork.merge(network(a), 1, Integer::sum) >= Operation.FARM_HOSTS) {
        return true;
      }
    }
    return false;
  }

  /** The site an address is counted in for farms: its /24 (IPv4) or /64 (IPv6). */
  public static String network(IpAddress a) {
    return a.isV4() ? "4:" + (a.lo() >>> 8) : "6:" + a.hi();
  }

  private static String shortHash(String key) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
