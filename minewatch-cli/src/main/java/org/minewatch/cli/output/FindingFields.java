package org.minewatch.cli.output;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.minewatch.evidence.Finding;

/** The output names and renderings of a finding's fields, shared by every format. */
final class FindingFields {
  static final String[] COLUMNS = {
    "host",
    "role",
    "verdict",
    "coin",
    "protocol",
    "peers",
    "login",
    "worker",
    "agent",
    "first_seen",
    "last_seen",
    "flows",
    "bytes",
    "evidence",
    "source",
    "pool_name",
    "wallet",
    "operation",
    "algorithm",
    "hashrate",
    "hashrate_low",
    "hashrate_high",
    "hashrate_unit",
    "shares",
    "hashrate_method",
    "reported_hashrate",
    "power_w_low",
    "power_w_best",
    "power_w_high",
    "kwh_per_day_low",
    "kwh_per_day_best",
    "kwh_per_day_high",
    "tls_sni",
    "tls_ja3",
    "tls_ja4",
    "unit",
    "unit_code",
    "unit_category",
    "region_code",
    "region",
    "unit_address",
    "geo_country",
    "geo_province",
    "geo_city",
    "geo_isp",
    "geo_asn",
    "assessment",
    "assessment_reasons"
  };

  private FindingFields() {}

  /**
   * The row followed by the attribution's columns (empty where unknown; the assessment for miners
   * only).
   */
  static String[] withAttribution(
      String[] row, org.minewatch.attribution.Attribution at, boolean miner) {
    var u = at == null ? null : at.unit();
    var g = at == null ? null : at.geo();
    var a = at == null || !miner ? null : at.assessment();
    String[] extra = {
      u == null ? null : u.name(), u == null ? null : u.code(),
          u == null ? null : u.category().label(),
      u == null ? null : u.regionCode(), u == null ? null : u.region(),
          u == null ? null : u.address(),
      g == null ? null : g.country(), g == null ? null : g.province(), g == null ? null : g.city(),
      g == null ? null : g.isp(), g == null ? null : g.asn(), a == null ? null : a.kind().label(),
      a == null ? null : String.join(" | ", a.reasons())
    };
    String[] out = java.util.Arrays.copyOf(row, row.length + extra.length);
    System.arraycopy(extra, 0, out, row.length, extra.length);
    return out;
  }

  static String time(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
  }

  /** The peers as {@code ip:port}, with a last "+N more" where the list was cut. */
  static java.util.List<String> peers(Finding f) {
    java.util.List<String> out = new java.util.ArrayList<>(f.peers().size() + 1);
    f.peers().forEach(p -> out.add(p.toString()));
    if (f.morePeers() > 0) {
      out.add("+" + f.morePeers() + " more");
    }
    return out;
  }

  static String coin(Finding f) {
    return f.coin() == null ? null : f.coin().label();
  }

  static String protocol(Finding f) {
    return f.protocol() == null ? null : f.protocol().label();
  }

  static String algorithm(Finding f) {
    return f.algorithm() == null ? null : f.algorithm().label();
  }

  /** A rate with an SI prefix, e.g. "31.2 MH/s"; "too few shares (3)" when there is no estimate. */
  static String rate(org.minewatch.estimate.HashRate r) {
    if (r == null) {
      return null;
    }
    if (r.tooFewShares()) {
      return "too few shares (" + r.shares() + ")";
    }
    return si(r.value(), r.unit())
        + " ["
        + si(r.low(), "").strip()
        + "–"
        + si(r.high(), r.unit())
        + "]";
  }

  static String si(double v, String unit) {
    String[] prefixes = {"", "k", "M", "G", "T", "P", "E"};
    int i = 0;
    while (Math.abs(v) >= 1000 && i < prefixes.length - 1) {
      v /= 1000;
      i++;
    }
    return String.format(java.util.Locale.ROOT, "%.3g %s%s", v, prefixes[i], unit).strip();
  }
}
