package org.minewatch.governance.stats;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.minewatch.governance.cases.CaseViews;

/**
 * Tables as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read the Chinese)
 * and XLSX: the case lists (全量名单, 重点名单) and the weekly inventory.
 */
public final class Exports {
  private Exports() {}

  /** A table: a header and rows of cells (String or Number, null for empty). */
  public record Table(String title, List<String> header, List<List<Object>> rows) {}

  public static Table cases(String title, List<CaseViews.Summary> cases) {
    List<List<Object>> rows = new ArrayList<>();
    for (CaseViews.Summary c : cases) {
      rows.add(
          java.util.Arrays.asList(
              c.number(),
              c.state(),
              c.priority(),
              c.priorityList() ? "yes" : "no",
              c.unitName(),
              c.unitCode(),
              c.category(),
              c.regionCode(),
              c.region(),
              c.host(),
              c.hosts(),
              String.join(" ", c.coins()),
              c.assessment(),
              c.kwhPerDay() == null ? null : round(c.kwhPerDay()[0]),
              c.kwhPerDay() == null ? null : round(c.kwhPerDay()[1]),
              c.kwhPerDay() == null ? null : round(c.kwhPerDay()[2]),
              c.openedAt() == null ? null : c.openedAt().toString(),
              c.deadline() == null ? null : c.deadline().toString(),
              c.overdue() ? "yes" : "no",
              String.join(
                  "; ",
                  c.priorityReasons().stream()
                      .map(org.minewatch.governance.cases.Reasons::english)
                      .toList())));
    }
    return new Table(
        title,
        List.of(
            "number",
            "state",
            "priority",
            "priority_list",
            "unit",
            "unit_code",
            "category",
            "region_code",
            "region",
            "host",
            "hosts",
            "coins",
            "assessment",
            "kwh_per_day_low",
            "kwh_per_day_best",
            "kwh_per_day_high",
            "opened_at",
            "deadline",
            "overdue",
            "priority_reasons"),
        rows);
  }

  /**
   * The weekly inventory of the national notice: per case that is not rejected, the owner, the
   * scale (mining hosts), the hash rate per algorithm, the power (kW from the best kWh/day) and the
   * status.
   */
  public static Table inventory(org.jdbi.v3.core.Handle h, String regionPrefix, String unitCode) {
    StringBuilder sql =
        new StringBuilder(
            "select c.id, c.number, c.state, c.host, c.region_code, c.kwh_low, c.kwh_best, "
                + "c.kwh_high, c.coins, c.assessment, u.name, u.code, u.category, u.region, u.address, "
                + "(select count(*) from case_hosts ch where ch.case_id = c.id) as hosts from cases c "
                + "left join units u on u.id = c.unit_id where c.state <> 'rejected'");
    if (regionPrefix != null) {
      sql.append(" and c.region_code like :region");
    }
    if (unitCode != null) {
      sql.append(" and u.code = :unit");
    }
    var q = h.createQuery(sql.append(" order by c.number").toString());
    if (regionPrefix != null) {
      q.bind("region", regionPrefix + "%");
    }
    if (unitCode != null) {
      q.bind("unit", unitCode);
    }
    List<List<Object>> rows = new ArrayList<>();
    for (var r : q.mapToMap().list()) {
      long id = ((Number) r.get("id")).longValue();
      StringBuilder rates = new StringBuilder();
      for (var rate :
          h.createQuery(
                  "select algorithm, hashrate_unit, sum(hashrate) as total from findings "
                      + "where case_id = :c and hashrate is not null group by algorithm, hashrate_unit order by algorithm")
              .bind("c", id)
              .mapToMap()
              .list()) {
        if (rates.length() > 0) {
          rates.append("; ");
        }
        rates
            .append(rate.get("algorithm"))
            .append(' ')
            .append(String.format(Locale.ROOT, "%.4g", ((Number) rate.get("total")).doubleValue()))
            .append(' ')
            .append(rate.get("hashrate_unit"));
      }
      Number best = (Number) r.get("kwh_best");
      rows.add(
          java.util.Arrays.asList(
              r.get("number"),
              r.get("name") == null ? r.get("host") : r.get("name"),
              r.get("code"),
              r.get("category"),
              r.get("region_code"),
              r.get("region"),
              r.get("address"),
              ((Number) r.get("hosts")).intValue(),
              r.get("coins"),
              rates.toString(),
              best == null ? null : round(best.doubleValue() / 24),
              r.get("kwh_low") == null ? null : round(((Number) r.get("kwh_low")).doubleValue()),
              best == null ? null : round(best.doubleValue()),
              r.get("kwh_high") == null ? null : round(((Number) r.get("kwh_high")).doubleValue()),
              r.get("assessment"),
              r.get("state")));
    }
    return new Table(
        "inventory",
        List.of(
            "case",
            "owner",
            "unit_code",
            "category",
            "region_code",
            "region",
            "address",
            "mining_hosts",
            "coins",
            "hashrate",
            "power_kw_best",
            "kwh_per_day_low",
            "kwh_per_day_best",
            "kwh_per_day_high",
            "assessment",
            "status"),
        rows);
  }

  static Double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  public static String csv(Table t) {
    StringBuilder b = new StringBuilder("\uFEFF");
    line(b, new ArrayList<>(t.header()));
    for (List<Object> r : t.rows()) {
      line(b, r);
    }
    return b.toString();
  }

  private static void line(StringBuilder b, List<?> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      Object v = cells.get(i);
      String s =
          v == null
              ? ""
              : v instanceof Double d ? String.format(Locale.ROOT, "%s", d) : v.toString();
      // A leading =, +, - or @ would run as a formula in a spreadsheet: quote it as text.
      if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !(v instanceof Number)) {
        s = "'" + s;
      }
      if (s.indexOf(',') >= 0
          || s.indexOf('"') >= 0
          || s.indexOf('\n') >= 0
          || s.indexOf('\r') >= 0) {
        s = '"' + s.replace("\"", "\"\"") + '"';
      }
      b.append(s);
    }
    b.append("\r\n");
  }

  public static void xlsx(Table t, OutputStream out) throws IOException {
    Workbook wb = new Workbook(out, "MineWatch", "1.0");
    // A sheet needs a name of 1 to 31 characters (spreadsheet programs refuse an empty one);
    // fastexcel replaces the characters a sheet name may not hold.
    String title = t.title() == null || t.title().isBlank() ? "Sheet1" : t.title().strip();
    Worksheet ws = wb.newWorksheet(title.length() > 31 ? title.substring(0, 31) : title);
    for (int c = 0; c < t.header().size(); c++) {
      ws.value(0, c, t.header().get(c));
      ws.style(0, c).bold().set();
    }
    for (int r = 0; r < t.rows().size(); r++) {
      List<Object> row = t.rows().get(r);
      for (int c = 0; c < row.size(); c++) {
        Object v = row.get(c);
        if (v instanceof Number n) {
          ws.value(r + 1, c, n);
        } else if (v != null) {
          ws.value(r + 1, c, v.toString());
        }
      }
    }
    wb.finish();
  }
}
