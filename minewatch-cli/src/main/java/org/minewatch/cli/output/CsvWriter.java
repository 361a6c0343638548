package org.minewatch.cli.output;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.minewatch.evidence.Finding;

/** RFC 4180 CSV with a header line; lists are joined with " | ". */
final class CsvWriter implements FindingWriter {

  @Override
  public void write(
      List<Finding> findings,
      List<org.minewatch.operation.Operation> operations,
      java.util.Map<org.minewatch.model.IpAddress, org.minewatch.attribution.Attribution>
          attributions,
      Writer out)
      throws IOException {
    out.write(String.join(",", FindingFields.COLUMNS));
    out.write("\r\n");
    for (Finding f : findings) {
      String[] row = {
        f.host().toString(),
        f.role().label(),
        f.verdict().label(),
        FindingFields.coin(f),
        FindingFields.protocol(f),
        String.join(" | ", FindingFields.peers(f)),
        f.login(),
        f.worker(),
        f.agent(),
        FindingFields.time(f.firstSeen()),
        FindingFields.time(f.lastSeen()),
        Long.toString(f.flows()),
        Long.toString(f.bytes()),
        String.join(" | ", f.evidence()),
        f.source(),
        f.poolName(),
        f.wallet() == null ? null : f.wallet().address(),
        f.operation(),
        FindingFields.algorithm(f),
        num(f.hashRate() == null || f.hashRate().tooFewShares() ? null : f.hashRate().value()),
        num(f.hashRate() == null || f.hashRate().tooFewShares() ? null : f.hashRate().low()),
        num(f.hashRate() == null || f.hashRate().tooFewShares() ? null : f.hashRate().high()),
        f.hashRate() == null ? null : f.hashRate().unit(),
        f.hashRate() == null ? null : Long.toString(f.hashRate().shares()),
        f.hashRate() == null ? null : f.hashRate().method(),
        num(f.reportedHashrate()),
        num(f.power() == null ? null : f.power().lowWatts()),
        num(f.power() == null ? null : f.power().bestWatts()),
        num(f.power() == null ? null : f.power().highWatts()),
        num(f.power() == null ? null : f.power().lowKwhPerDay()),
        num(f.power() == null ? null : f.power().bestKwhPerDay()),
        num(f.power() == null ? null : f.power().highKwhPerDay()),
        f.tls() == null ? null : f.tls().sni(),
        f.tls() == null ? null : f.tls().ja3(),
        f.tls() == null ? null : f.tls().ja4()
      };
      row =
          FindingFields.withAttribution(
              row, attributions.get(f.host()), f.role() == org.minewatch.model.Role.MINER);
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(quote(row[i]));
      }
      out.write("\r\n");
    }
  }

  private static String num(Double v) {
    if (v == null || v.isNaN()) {
      return null;
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }

  static String quote(String s) {
    if (s == null) {
      return "";
    }
    boolean needs =
        s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }
}
