package org.minewatch.cli.output;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.minewatch.evidence.Finding;
import org.minewatch.operation.Operation;

/** A table for people: one row per finding, then each finding's evidence indented below it. */
final class TableWriter implements FindingWriter {
  private static void writeAttribution(
      Finding f, org.minewatch.attribution.Attribution at, Writer out) throws IOException {
    if (at == null) {
      return;
    }
    if (at.unit() != null) {
      var u = at.unit();
      out.write(
          "    unit: "
              + u.name()
              + " ("
              + u.category().label()
              + (u.region() != null ? ", " + u.region() : "")
              + (u.regionCode() != null ? " " + u.regionCode() : "")
              + ")"
              + (u.address() != null ? ", " + u.address() : "")
              + "\n");
    }
    if (at.geo() != null) {
      var g = at.geo();
      List<String> parts = new ArrayList<>();
      for (String p : new String[] {g.country(), g.province(), g.city(), g.isp(), g.asn()}) {
        if (p != null) {
          parts.add(p);
        }
      }
      out.write("    geo: " + String.join(", ", parts) + "\n");
    }
    if (at.assessment() != null && f.role() == org.minewatch.model.Role.MINER) {
      out.write("    assessment: " + at.assessment().kind().label() + "\n");
      for (String r : at.assessment().reasons()) {
        out.write("      * " + r + "\n");
      }
    }
  }

  private static final String[] HEADER = {
    "HOST",
    "ROLE",
    "VERDICT",
    "COIN",
    "PROTOCOL",
    "PEERS",
    "LOGIN",
    "WORKER",
    "AGENT",
    "HASH RATE [90%]",
    "POWER W",
    "FIRST SEEN",
    "FLOWS",
    "BYTES"
  };
  private static final int MAX_CELL = 48;
  private static final int EVIDENCE_LINES = 4;

  @Override
  public void write(
      List<Finding> findings,
      List<Operation> operations,
      java.util.Map<org.minewatch.model.IpAddress, org.minewatch.attribution.Attribution>
          attributions,
      Writer out)
      throws IOException {
    if (findings.isEmpty()) {
      out.write("No mining, pool or node found.\n");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Finding f : findings) {
      rows.add(
          new String[] {
            f.host().toString(),
            f.role().label(),
            f.verdict().label(),
            dash(FindingFields.coin(f)),
            dash(FindingFields.protocol(f)),
            peers(FindingFields.peers(f)),
            dash(f.login()),
            dash(f.worker()),
            dash(f.agent()),
            dash(FindingFields.rate(f.hashRate())),
            power(f),
            FindingFields.time(f.firstSeen()),
            Long.toString(f.flows()),
            Long.toString(f.bytes())
          });
    }
    int[] width = new int[HEADER.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        r[i] = cut(r[i]);
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (int k = 0; k < rows.size(); k++) {
      String[] r = rows.get(k);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        sb.append(r[i]);
        if (i < r.length - 1) {
          sb.append(" ".repeat(width[i] - r[i].length() + 2));
        }
      }
      out.write(sb.toString().stripTrailing());
      out.write('\n');
      if (k > 0) {
        if (findings.get(k - 1).workers().size() > 1) {
          StringBuilder ws = new StringBuilder("    workers:");
          findings
              .get(k - 1)
              .workers()
              .forEach(
                  (name, rate) ->
                      ws.append(' ')
                          .append(name)
                          .append(' ')
                          .append(FindingFields.rate(rate))
                          .append(';'));
          out.write(ws.append('\n').toString());
        }
        if (findings.get(k - 1).operation() != null) {
          out.write("    operation " + findings.get(k - 1).operation() + "\n");
        }
        writeAttribution(findings.get(k - 1), attributions.get(findings.get(k - 1).host()), out);
        List<String> ev = findings.get(k - 1).evidence();
        for (int e = 0; e < Math.min(EVIDENCE_LINES, ev.size()); e++) {
          out.write("    - " + ev.get(e) + "\n");
        }
        if (ev.size() > EVIDENCE_LINES) {
          out.write("    - ... " + (ev.size() - EVIDENCE_LINES) + " more (see --format jsonl)\n");
        }
      }
    }
    writeOperations(operations, out);
    writeTotals(findings, out);
  }

  /** Hash rate and power added up per algorithm, over the miners that have an estimate. */
  private static void writeTotals(List<Finding> findings, Writer out) throws IOException {
    java.util.Map<String, double[]> totals = new java.util.TreeMap<>();
    java.util.Map<String, String> units = new java.util.HashMap<>();
    for (Finding f : findings) {
      if (f.role() != org.minewatch.model.Role.MINER
          || f.hashRate() == null
          || f.hashRate().tooFewShares()) {
        continue;
      }
      String alg = f.hashRate().algorithm().label();
      units.put(alg, f.hashRate().unit());
      double[] t = totals.computeIfAbsent(alg, a -> new double[5]);
      t[0]++;
      t[1] += f.hashRate().value();
      if (f.power() != null) {
        t[2] += f.power().lowWatts();
        t[3] += f.power().bestWatts();
        t[4] += f.power().highWatts();
      }
    }
    if (totals.isEmpty()) {
      return;
    }
    out.write("\nTOTALS BY ALGORITHM (miners with a hash-rate estimate)\n");
    for (var e : totals.entrySet()) {
      double[] t = e.getValue();
      out.write(
          String.format(
              java.util.Locale.ROOT,
              "  %-16s %3.0f %s  %s  %.0f W (%.0f–%.0f)  %.1f kWh/day%n",
              e.getKey(),
              t[0],
              t[0] == 1 ? "miner " : "miners",
              FindingFields.si(t[1], units.get(e.getKey())),
              t[3],
              t[2],
              t[4],
              t[3] * 24 / 1000));
    }
  }

  private static void writeOperations(List<Operation> operations, Writer out) throws IOException {
    if (operations.isEmpty()) {
      return;
    }
    out.write("\nOPERATIONS (miners sharing a wallet or a pool account)\n");
    for (Operation o : operations) {
      StringBuilder sb =
          new StringBuilder("  ")
              .append(o.id())
              .append("  ")
              .append(o.keyKind())
              .append(' ')
              .append(cut(o.key()))
              .append("  ")
              .append(o.miners().size())
              .append(o.miners().size() == 1 ? " miner" : " miners")
              .append(", ")
              .append(o.pools().size())
              .append(o.pools().size() == 1 ? " pool" : " pools");
      o.hashRates()
          .forEach(
              (alg, rate) ->
                  sb.append(", ")
                      .append(alg)
                      .append(' ')
                      .append(
                          FindingFields.si(rate, alg.startsWith("equihash") ? "Sol/s" : "H/s")));
      if (o.powerWatts() > 0) {
        sb.append(String.format(java.util.Locale.ROOT, ", about %.0f W", o.powerWatts()));
      }
      out.write(sb.append('\n').toString());
      out.write(
          "    miners: "
              + o.miners().stream()
                  .map(Object::toString)
                  .limit(20)
                  .collect(java.util.stream.Collectors.joining(", "))
              + (o.miners().size() > 20 ? ", ..." : "")
              + "\n");
    }
  }

  private static String power(Finding f) {
    if (f.power() == null) {
      return "-";
    }
    return String.format(
        java.util.Locale.ROOT,
        "%.0f (%.0f–%.0f)",
        f.power().bestWatts(),
        f.power().lowWatts(),
        f.power().highWatts());
  }

  private static String peers(List<String> peers) {
    if (peers.size() <= 1) {
      return peers.isEmpty() ? "-" : peers.get(0);
    }
    return peers.get(0) + " +" + (peers.size() - 1);
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  private static String cut(String s) {
    return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 1) + "…";
  }
}
