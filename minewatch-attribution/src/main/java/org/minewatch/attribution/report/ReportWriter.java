package org.minewatch.attribution.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.minewatch.attribution.registry.Unit;

/** Writes a report as JSON, Markdown, CSV tables or a self-contained HTML page with SVG charts. */
public final class ReportWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private final ReportData d;
  private final Labels l;
  private final Instant generated;

  public ReportWriter(ReportData data, String lang, Instant generated) {
    this.d = data;
    this.l = new Labels(lang);
    this.generated = generated;
  }

  public void write(String format, Writer out) throws IOException {
    switch (format) {
      case "json" -> json(out);
      case "md" -> markdown(out);
      case "csv" -> csv(out);
      case "html" -> html(out);
      default ->
          throw new IllegalArgumentException(
              "unknown format: " + format + " (html, md, csv or json)");
    }
  }

  // ---- JSON ----

  private void json(Writer out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("generated", generated.toString());
      g.writeNumberField("mining_hosts", d.miningHosts());
      g.writeNumberField("units", d.units());
      counts(g, "by_category", d.byCategory());
      counts(g, "by_region", d.byRegion());
      counts(g, "by_coin", d.byCoin());
      g.writeFieldName("share_gov_univ_enterprise");
      g.writeNumber(round(d.shareGovUnivEnterprise()));
      g.writeNumberField("compromised", d.compromised());
      g.writeNumberField("deliberate", d.deliberate());
      g.writeNumberField("undetermined", d.undetermined());
      range(g, "kwh_per_day", d.kwhPerDay());
      // The same energy as a continuous draw: kWh per day × 1000 / 24 h.
      range(
          g,
          "power_w",
          new double[] {
            d.kwhPerDay()[0] * 1000 / 24, d.kwhPerDay()[1] * 1000 / 24, d.kwhPerDay()[2] * 1000 / 24
          });
      g.writeObjectFieldStart("kwh_per_day_by_region");
      for (var e : d.kwhByRegion().entrySet()) {
        range(g, e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("hashrate_by_algorithm");
      for (var e : d.hashrateByAlgorithm().entrySet()) {
        g.writeObjectFieldStart(e.getKey());
        g.writeFieldName("value");
        g.writeNumber(round(e.getValue().value()));
        g.writeStringField("unit", e.getValue().unit());
        g.writeNumberField("hosts", e.getValue().hosts());
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeArrayFieldStart("top_units");
      for (ReportData.UnitRow u : d.topUnits()) {
        g.writeStartObject();
        unitFields(g, u.unit());
        g.writeNumberField("mining_hosts", u.hosts());
        g.writeNumberField("compromised", u.compromised());
        g.writeFieldName("kwh_per_day_best");
        g.writeNumber(round(u.kwhBest()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("top_operations");
      for (ReportData.OperationRow o : d.topOperations()) {
        g.writeStartObject();
        g.writeStringField("operation", o.id());
        g.writeStringField("account", o.account());
        g.writeNumberField("mining_hosts", o.hosts());
        g.writeNumberField("units", o.units());
        g.writeStringField("coin", o.coin());
        g.writeFieldName("kwh_per_day_best");
        g.writeNumber(round(o.kwhBest()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.write('\n');
  }

  private static void counts(JsonGenerator g, String name, Map<String, Integer> m)
      throws IOException {
    g.writeObjectFieldStart(name);
    for (var e : m.entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void range(JsonGenerator g, String name, double[] r) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeFieldName("low");
    g.writeNumber(round(r[0]));
    g.writeFieldName("best");
    g.writeNumber(round(r[1]));
    g.writeFieldName("high");
    g.writeNumber(round(r[2]));
    g.writeEndObject();
  }

  private static void unitFields(JsonGenerator g, Unit u) throws IOException {
    g.writeStringField("name", u.name());
    g.writeStringField("code", u.code());
    g.writeStringField("category", u.category().label());
    g.writeStringField("region_code", u.regionCode());
    g.writeStringField("region", u.region());
  }

  /** Four significant digits: the estimates are no more precise. */
  static BigDecimal round(double v) {
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
  }

  static String num(double v) {
    return round(v).toPlainString();
  }

  // ---- tables shared by Markdown, CSV and HTML ----

  /** A titled table: a header and rows of cells. */
  record Table(String key, String title, List<String> header, List<List<String>> rows) {}

  List<Table> tables() {
    List<Table> t = new ArrayList<>();
    t.add(
        new Table(
            "summary",
            l.get("summary"),
            List.of("", ""),
            List.of(
                List.of(l.get("mining_hosts"), Integer.toString(d.miningHosts())),
                List.of(l.get("units"), Integer.toString(d.units())),
                List.of(
                    l.get("share"),
                    String.format(Locale.ROOT, "%.1f%%", 100 * d.shareGovUnivEnterprise())),
                List.of(l.get("compromised"), Integer.toString(d.compromised())),
                List.of(l.get("deliberate"), Integer.toString(d.deliberate())),
                List.of(l.get("undetermined"), Integer.toString(d.undetermined())),
                List.of(
                    l.get("kwh"),
                    num(d.kwhPerDay()[1])
                        + " ("
                        + num(d.kwhPerDay()[0])
                        + "–"
                        + num(d.kwhPerDay()[2])
                        + ")"),
                List.of(
                    l.get("power"),
                    num(d.kwhPerDay()[1] * 1000 / 24)
                        + " ("
                        + num(d.kwhPerDay()[0] * 1000 / 24)
                        + "–"
                        + num(d.kwhPerDay()[2] * 1000 / 24)
                        + ")"))));
    List<List<String>> cat = new ArrayList<>();
    d.byCategory()
        .forEach(
            (k, v) -> {
              if (v > 0) {
                cat.add(List.of(l.category(k), Integer.toString(v)));
              }
            });
    t.add(
        new Table(
            "by_category", l.get("by_category"), List.of(l.get("category"), l.get("count")), cat));
    List<List<String>> reg = new ArrayList<>();
    d.byRegion()
        .forEach(
            (k, v) -> {
              double[] e = d.kwhByRegion().getOrDefault(k, new double[3]);
              reg.add(
                  List.of(
                      l.region(k), Integer.toString(v), num(e[1]), num(e[0]) + "–" + num(e[2])));
            });
    t.add(
        new Table(
            "by_region",
            l.get("by_region"),
            List.of(
                l.get("region"),
                l.get("count"),
                l.get("kwh_day"),
                l.get("low") + "–" + l.get("high")),
            reg));
    List<List<String>> coin = new ArrayList<>();
    d.byCoin()
        .forEach(
            (k, v) ->
                coin.add(List.of(k.equals("unknown") ? l.get("unknown") : k, Integer.toString(v))));
    t.add(new Table("by_coin", l.get("by_coin"), List.of(l.get("coin"), l.get("count")), coin));
    List<List<String>> rates = new ArrayList<>();
    d.hashrateByAlgorithm()
        .forEach(
            (k, v) ->
                rates.add(
                    List.of(k, num(v.value()) + " " + v.unit(), Integer.toString(v.hosts()))));
    t.add(
        new Table(
            "hashrate",
            l.get("hashrate"),
            List.of(l.get("algorithm"), l.get("rate"), l.get("count")),
            rates));
    List<List<String>> units = new ArrayList<>();
    for (ReportData.UnitRow u : d.topUnits()) {
      units.add(
          List.of(
              u.unit().name(),
              l.category(u.unit().category().label()),
              l.region(ReportBuilder.region(u.unit())),
              Integer.toString(u.hosts()),
              Integer.toString(u.compromised()),
              num(u.kwhBest())));
    }
    t.add(
        new Table(
            "top_units",
            l.get("top_units"),
            List.of(
                l.get("unit"),
                l.get("category"),
                l.get("region"),
                l.get("count"),
                l.get("compromised"),
                l.get("kwh_day")),
            units));
    List<List<String>> ops = new ArrayList<>();
    for (ReportData.OperationRow o : d.topOperations()) {
      ops.add(
          List.of(
              o.id(),
              o.account() == null ? "" : o.account(),
              Integer.toString(o.hosts()),
              Integer.toString(o.units()),
              o.coin() == null ? "" : o.coin(),
              num(o.kwhBest())));
    }
    t.add(
        new Table(
            "top_operations",
            l.get("top_operations"),
            List.of(
                l.get("operation"),
                l.get("account"),
                l.get("count"),
                l.get("units"),
                l.get("coin"),
                l.get("kwh_day")),
            ops));
    List<List<String>> hosts = new ArrayList<>();
    for (ReportData.HostRow h : d.hosts()) {
      hosts.add(
          List.of(
              h.host(),
              h.unit() == null ? "" : h.unit().name(),
              h.unit() == null ? l.category("unknown") : l.category(h.unit().category().label()),
              l.region(ReportBuilder.region(h.unit())),
              h.coin() == null ? "" : h.coin(),
              h.protocol() == null ? "" : h.protocol(),
              h.pool() == null ? "" : h.pool(),
              h.assessment() == null ? "" : l.kind(h.assessment().kind()),
              h.kwhBest() == null ? "" : num(h.kwhBest())));
    }
    t.add(
        new Table(
            "hosts",
            l.get("hosts"),
            List.of(
                l.get("host"),
                l.get("unit"),
                l.get("category"),
                l.get("region"),
                l.get("coin"),
                l.get("protocol"),
                l.get("pool"),
                l.get("assessment"),
                l.get("kwh_day")),
            hosts));
    return t;
  }

  // ---- Markdown ----

  private void markdown(Writer out) throws IOException {
    out.write("# " + l.get("title") + "\n\n" + generated + "\n\n");
    for (Table t : tables()) {
      out.write("## " + t.title() + "\n\n");
      if (t.rows().isEmpty()) {
        out.write(l.get("none") + "\n\n");
        continue;
      }
      out.write("| " + String.join(" | ", t.header()) + " |\n");
      out.write("|" + "---|".repeat(t.header().size()) + "\n");
      for (List<String> r : t.rows()) {
        List<String> cells = r.stream().map(c -> c.replace("|", "\\|")).toList();
        out.write("| " + String.join(" | ", cells) + " |\n");
      }
      out.write("\n");
    }
    out.write(l.get("note") + "\n");
  }

  // ---- CSV: every table, one after another, each row led by the table's key ----

  private void csv(Writer out) throws IOException {
    for (Table t : tables()) {
      List<String> header = new ArrayList<>();
      header.add("table");
      header.addAll(t.header());
      out.write(csvLine(header));
      for (List<String> r : t.rows()) {
        List<String> row = new ArrayList<>();
        row.add(t.key());
        row.addAll(r);
        out.write(csvLine(row));
      }
    }
  }

  private static String csvLine(List<String> cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      if (i > 0) {
        b.append(',');
      }
      boolean quote = c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0;
      b.append(quote ? '"' + c.replace("\"", "\"\"") + '"' : c);
    }
    return b.append("\r\n").toString();
  }

  // ---- HTML ----

  private void html(Writer out) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"")
        .append(l.lang.equals("zh") ? "zh-CN" : "en")
        .append("\">\n<head>\n")
        .append("<meta charset=\"utf-8\">\n<title>")
        .append(esc(l.get("title")))
        .append("</title>\n")
        .append("<style>\n")
        .append(
            "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}\n")
        .append("h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em}\n")
        .append(
            ".cards{display:flex;flex-wrap:wrap;gap:1em}.card{border:1px solid #ccd;border-radius:6px;")
        .append("padding:.8em 1.2em;min-width:11em}.card b{display:block;font-size:1.6em}\n")
        .append(".charts{display:flex;flex-wrap:wrap;gap:2em}\n")
        .append(
            "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccd;padding:.25em .6em;")
        .append(
            "text-align:left}th{background:#eef}\n.note{color:#555;font-size:.9em;margin-top:2em}\n")
        .append("</style>\n</head>\n<body>\n");
    b.append("<h1>")
        .append(esc(l.get("title")))
        .append("</h1>\n<p>")
        .append(esc(generated.toString()))
        .append("</p>\n<div class=\"cards\">\n");
    card(b, l.get("mining_hosts"), Integer.toString(d.miningHosts()));
    card(b, l.get("units"), Integer.toString(d.units()));
    card(b, l.get("share"), String.format(Locale.ROOT, "%.1f%%", 100 * d.shareGovUnivEnterprise()));
    card(b, l.get("compromised"), Integer.toString(d.compromised()));
    card(b, l.get("deliberate"), Integer.toString(d.deliberate()));
    card(
        b,
        l.get("kwh"),
        num(d.kwhPerDay()[1]) + " (" + num(d.kwhPerDay()[0]) + "–" + num(d.kwhPerDay()[2]) + ")");
    b.append("</div>\n<div class=\"charts\">\n");
    Map<String, Double> cat = new LinkedHashMap<>();
    d.byCategory()
        .forEach(
            (k, v) -> {
              if (v > 0) {
                cat.put(l.category(k), (double) v);
              }
            });
    chart(b, "by_category", l.get("by_category"), cat, "#4a6fa5");
    Map<String, Double> reg = new LinkedHashMap<>();
    d.byRegion().forEach((k, v) -> reg.put(l.region(k), (double) v));
    chart(b, "by_region", l.get("by_region"), reg, "#5b8c5a");
    Map<String, Double> coin = new LinkedHashMap<>();
    d.byCoin().forEach((k, v) -> coin.put(k.equals("unknown") ? l.get("unknown") : k, (double) v));
    chart(b, "by_coin", l.get("by_coin"), coin, "#c77d2e");
    Map<String, Double> kind = new LinkedHashMap<>();
    kind.put(l.get("compromised"), (double) d.compromised());
    kind.put(l.get("deliberate"), (double) d.deliberate());
    kind.put(l.get("undetermined"), (double) d.undetermined());
    chart(b, "assessment", l.get("assessment"), kind, "#a54a4a");
    Map<String, Double> energy = new LinkedHashMap<>();
    d.kwhByRegion().forEach((k, v) -> energy.put(l.region(k), v[1]));
    chart(b, "energy_by_region", l.get("energy_by_region"), energy, "#7a5aa5");
    b.append("</div>\n");
    for (Table t : tables()) {
      if (t.key().equals("summary")) {
        continue;
      }
      b.append("<h2>").append(esc(t.title())).append("</h2>\n");
      if (t.rows().isEmpty()) {
        b.append("<p>").append(esc(l.get("none"))).append("</p>\n");
        continue;
      }
      b.append("<table id=\"").append(t.key()).append("\">\n<tr>");
      for (String h : t.header()) {
        b.append("<th>").append(esc(h)).append("</th>");
      }
      b.append("</tr>\n");
      for (List<String> r : t.rows()) {
        b.append("<tr>");
        for (String c : r) {
          b.append("<td>").append(esc(c)).append("</td>");
        }
        b.append("</tr>\n");
      }
      b.append("</table>\n");
    }
    b.append("<p class=\"note\">").append(esc(l.get("note"))).append("</p>\n</body>\n</html>\n");
    out.write(b.toString());
  }

  private static void card(StringBuilder b, String label, String value) {
    b.append("<div class=\"card\">")
        .append(esc(label))
        .append("<b>")
        .append(esc(value))
        .append("</b></div>\n");
  }

  /** A horizontal bar chart in SVG: one bar per entry, its value at the end. */
  private static void chart(
      StringBuilder b, String id, String title, Map<String, Double> values, String colour) {
    int rows = Math.max(1, values.size());
    int barHeight = 22;
    int labelWidth = 170;
    int barWidth = 260;
    int height = 30 + rows * (barHeight + 6);
    double max = values.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    b.append("<figure><svg id=\"chart-")
        .append(id)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(labelWidth + barWidth + 80)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\">")
        .append("<title>")
        .append(esc(title))
        .append("</title>")
        .append("<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">")
        .append(esc(title))
        .append("</text>");
    int y = 28;
    for (var e : values.entrySet()) {
      double w = max <= 0 ? 0 : barWidth * e.getValue() / max;
      b.append("<text x=\"")
          .append(labelWidth - 6)
          .append("\" y=\"")
          .append(y + 15)
          .append("\" font-size=\"12\" text-anchor=\"end\">")
          .append(esc(e.getKey()))
          .append("</text>")
          .append("<rect x=\"")
          .append(labelWidth)
          .append("\" y=\"")
          .append(y)
          .append("\" width=\"")
          .append(String.format(Locale.ROOT, "%.1f", w))
          .append("\" height=\"")
          .append(barHeight)
          .append("\" fill=\"")
          .append(colour)
          .append("\"/>")
          .append("<text x=\"")
          .append(String.format(Locale.ROOT, "%.1f", labelWidth + w + 4))
          .append("\" y=\"")
          .append(y + 15)
          .append("\" font-size=\"12\">")
          .append(esc(num(e.getValue())))
          .append("</text>");
      y += barHeight + 6;
    }
    b.append("</svg></figure>\n");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
