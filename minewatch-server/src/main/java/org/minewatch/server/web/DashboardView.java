package org.minewatch.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.stats.Dashboard;

/**
 * What the dashboard template shows, worked out here so the template only lays it out: names,
 * numbers as shown, the case list behind each figure (keeping the region shown), bar widths as
 * classes (the style policy allows no inline style), and the weekly series for the chart script.
 */
public final class DashboardView {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private final Messages t;
  private final Dashboard.Figures d;

  public DashboardView(Messages t, Dashboard.Figures d) {
    this.t = t;
    this.d = d;
  }

  public Dashboard.Figures d() {
    return d;
  }

  /**
   * One bar of a list: its label, where the label leads (or null), the count, its cases, the width
   * class.
   */
  public record Bar(
      String key,
      String label,
      String detail,
      String drill,
      int count,
      String cases,
      String width) {}

  // ------------------------------------------------------------------ words and numbers

  /** The region shown: "the whole province" or its name. */
  public String scopeName() {
    if (d.trail().isEmpty()) {
      return t.get("dash.all");
    }
    Dashboard.Place last = d.trail().get(d.trail().size() - 1);
    return last.prefix() == null ? t.get("dash.all") : placeName(last.prefix(), last.name());
  }

  public String title() {
    return d.scope() == null ? t.get("dash.title") : t.f("dash.title_region", scopeName());
  }

  /** A region's name: a province's in the page's language, else the registry's, else its code. */
  public String placeName(String prefix, String name) {
    if (prefix == null) {
      return t.get("dash.all");
    }
    String province = t.get("province." + prefix.substring(0, 2));
    if (prefix.length() == 2 && !province.startsWith("??")) {
      return province;
    }
    if (name != null && !name.isBlank()) {
      return name;
    }
    return Dashboard.pad(prefix);
  }

  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  public static String kwh(double v) {
    if (v == 0) {
      return "0";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  public static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  public String asOf() {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
        .withZone(ZONE)
        .format(d.asOf());
  }

  // ------------------------------------------------------------------ links

  /**
   * The case list behind a figure: {@code params} as {@code key, value, key, value...}, in the
   * region shown.
   */
  public String cases(String... params) {
    Map<String, String> q = new LinkedHashMap<>();
    for (int i = 0; i + 1 < params.length; i += 2) {
      q.put(params[i], params[i + 1]);
    }
    if (d.scope() != null && !q.containsKey("region")) {
      q.put("region", d.scope());
    }
    return q.isEmpty() ? "/cases" : "/cases?" + Links.query(q);
  }

  /** The dashboard of a region (null: the viewer's own or the province). */
  public static String drill(String prefix) {
    return prefix == null ? "/dashboard" : "/dashboard?region=" + prefix;
  }

  public String institutionalCases() {
    return cases("category", String.join(",", Dashboard.institutionalCategories()));
  }

  public String openCases() {
    List<String> open = new ArrayList<>();
    for (CaseState s : CaseState.values()) {
      if (s.open()) {
        open.add(s.label());
      }
    }
    return cases("status", String.join(",", open));
  }

  // ------------------------------------------------------------------ bars

  /**
   * Width classes {@code w0}…{@code w100} in steps of 5; a count above zero is at least {@code w5}.
   */
  static String width(int count, int max) {
    if (count <= 0 || max <= 0) {
      return "w0";
    }
    int step = (int) Math.round(count * 20.0 / max) * 5;
    return "w" + Math.max(5, Math.min(100, step));
  }

  private static int max(Map<String, Integer> m) {
    return m.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  public List<Bar> regions() {
    int max = d.regions().stream().mapToInt(Dashboard.RegionCount::addresses).max().orElse(0);
    List<Bar> out = new ArrayList<>();
    for (Dashboard.RegionCount r : d.regions()) {
      String label =
          r.prefix() == null ? t.get("dash.region_none") : placeName(r.prefix(), r.name());
      // Units registered at the level above itself (a province's own bodies under its cities, 3200;
      // a city's under its
      // counties, 320100) get a bar of their own.
      if (r.prefix() != null && r.prefix().length() >= 4 && r.prefix().endsWith("00")) {
        label = t.f(r.prefix().length() == 4 ? "dash.province_level" : "dash.city_level", label);
      }
      String detail = (r.code() == null ? "" : r.code() + " · ") + t.f("dash.units_n", r.units());
      out.add(
          new Bar(
              r.prefix() == null ? "none" : r.prefix(),
              label,
              detail,
              r.leaf() || r.prefix() == null ? null : drill(r.prefix()),
              r.addresses(),
              cases("region", r.prefix() == null ? "none" : r.prefix()),
              width(r.addresses(), max)));
    }
    return out;
  }

  public List<Bar> categories() {
    Map<String, Integer> counted = new LinkedHashMap<>();
    d.byCategory()
        .forEach(
            (k, v) -> {
              if (v > 0) {
                counted.put(k, v);
              }
            });
    List<Bar> out = new ArrayList<>();
    counted.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(
            e ->
                out.add(
                    new Bar(
                        e.getKey(),
                        t.label("category", e.getKey()),
                        null,
                        null,
                        e.getValue(),
                        cases("category", e.getKey()),
                        width(e.getValue(), max(counted)))));
    return out;
  }

  public List<Bar> coins() {
    List<Bar> out = new ArrayList<>();
    d.byCoin()
        .forEach(
            (k, v) ->
                out.add(
                    new Bar(
                        k,
                        k.equals("unknown") ? t.get("dash.unknown") : t.label("coin", k),
                        null,
                        null,
                        v,
                        cases("coin", k),
                        width(v, max(d.byCoin())))));
    return out;
  }

  public List<Bar> algorithms() {
    List<Bar> out = new ArrayList<>();
    d.byAlgorithm()
        .forEach(
            (k, v) ->
                out.add(
                    new Bar(
                        k,
                        k.equals("unknown") ? t.get("dash.unknown") : k,
                        null,
                        null,
                        v,
                        cases("algorithm", k),
                        width(v, max(d.byAlgorithm())))));
    return out;
  }

  public List<Bar> states() {
    List<Bar> out = new ArrayList<>();
    d.casesByState()
        .forEach(
            (k, v) ->
                out.add(
                    new Bar(
                        k,
                        t.label("state", k),
                        null,
                        null,
                        v,
                        cases("status", k),
                        width(v, max(d.casesByState())))));
    return out;
  }

  // ------------------------------------------------------------------ the weeks

  /** The share cleared of a week's priority list, or a dash while it is not due. */
  public String cleared(Dashboard.Week w) {
    if (w.listed() == null) {
      return t.get("dash.not_due");
    }
    return w.listed() == 0
        ? "0 / 0"
        : w.cleared()
            + " / "
            + w.listed()
            + " ("
            + percent((double) w.cleared() / w.listed())
            + ")";
  }

  /**
   * The chart's data for {@code dashboard.js}: weeks, and each series with its name, axis and kind.
   */
  public String chart(String which) {
    Map<String, Object> c = new LinkedHashMap<>();
    List<String> weeks = new ArrayList<>();
    for (Dashboard.Week w : d.weeks()) {
      weeks.add(w.label());
    }
    c.put("x", t.get("dash.x"));
    c.put("weeks", weeks);
    List<Map<String, Object>> series = new ArrayList<>();
    if (which.equals("addresses")) {
      series.add(
          series(
              t.get("dash.new_addresses"),
              "bars",
              "count",
              d.weeks().stream().map(w -> (Object) w.newAddresses()).toList()));
      series.add(
          series(
              t.get("dash.total_addresses"),
              "line",
              "total",
              d.weeks().stream().map(w -> (Object) w.addresses()).toList()));
      series.add(
          series(
              t.get("dash.total_units"),
              "line",
              "total",
              d.weeks().stream().map(w -> (Object) w.units()).toList()));
    } else {
      series.add(
          series(
              t.get("dash.cases_opened"),
              "bars",
              "count",
              d.weeks().stream().map(w -> (Object) w.casesOpened()).toList()));
      series.add(
          series(
              t.get("dash.cases_closed"),
              "bars",
              "count",
              d.weeks().stream().map(w -> (Object) w.casesClosed()).toList()));
      series.add(
          series(
              t.get("dash.cleared_share"),
              "line",
              "percent",
              d.weeks().stream()
                  .map(
                      w ->
                          w.listed() == null || w.listed() == 0
                              ? null
                              : (Object) (100.0 * w.cleared() / w.listed()))
                  .toList()));
    }
    c.put("series", series);
    c.put(
        "axes",
        Map.of(
            "count", t.get("dash.axis_count"), "total", t.get("dash.axis_total"), "percent", "%"));
    try {
      return JSON.writeValueAsString(c);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> series(
      String name, String kind, String axis, List<Object> values) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", name);
    s.put("kind", kind);
    s.put("axis", axis);
    s.put("values", values);
    return s;
  }
}
