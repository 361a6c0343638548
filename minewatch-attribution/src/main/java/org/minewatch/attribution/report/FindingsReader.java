package org.minewatch.attribution.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.minewatch.attribution.MiningHost;
import org.minewatch.attribution.geo.Geo;
import org.minewatch.attribution.registry.Unit;
import org.minewatch.attribution.registry.UnitCategory;
import org.minewatch.model.IpAddress;

/**
 * Reads the JSON lines of {@code minewatch scan -f jsonl} (any version that has {@code host},
 * {@code role} and {@code verdict}); the unit and place earlier attribution attached are kept. A
 * line that is not a finding is reported with its file and line number and skipped.
 */
public final class FindingsReader {
  private static final JsonFactory JSON = new JsonFactory();

  private FindingsReader() {}

  /** A finding as read, with what it was attributed to, if anything. */
  public record Row(MiningHost host, Unit unit, Geo geo) {}

  public static List<Row> read(String source, BufferedReader in, List<String> problems) throws IOException {
    List<Row> rows = new ArrayList<>();
    String line;
    long n = 0;
    while ((line = in.readLine()) != null) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        rows.add(row(line));
      } catch (IOException | IllegalArgumentException | DateTimeParseException | ClassCastException e) {
        problems.add(source + ": line " + n + ": not a MineWatch finding: " + e.getMessage());
      }
    }
    return rows;
  }

  @SuppressWarnings("unchecked")
  private static Row row(String line) throws IOException {
    Map<String, Object> m;
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      m = (Map<String, Object>) value(p, JsonToken.START_OBJECT);
    }
    String host = string(m, "host");
    String role = string(m, "role");
    String verdict = string(m, "verdict");
    if (host == null || role == null || verdict == null) {
      throw new IllegalArgumentException("no host, role or verdict");
    }
    Map<String, Object> rate = (Map<String, Object>) m.get("hashrate");
    Map<String, Object> kwh = (Map<String, Object>) m.get("kwh_per_day");
    List<String> workers = new ArrayList<>();
    if (m.get("workers") instanceof List<?> ws) {
      for (Object w : ws) {
        if (w instanceof Map<?, ?> wm && wm.get("name") instanceof String name) {
          workers.add(name);
        }
      }
    }
    List<String> peers = new ArrayList<>();
    if (m.get("peers") instanceof List<?> ps) {
      for (Object p : ps) {
        if (p instanceof String s && s.indexOf(':') > 0 && !s.startsWith("+")) {
          peers.add(s);
        }
      }
    }
    MiningHost h = new MiningHost(IpAddress.parse(host), role, verdict, string(m, "coin"), string(m, "protocol"),
        peers, string(m, "login"), string(m, "worker"), workers, string(m, "agent"), instant(m, "first_seen"),
        instant(m, "last_seen"), string(m, "pool_name"), string(m, "wallet"), string(m, "operation"),
        string(m, "algorithm"), rate == null ? null : number(rate, "value"),
        rate == null ? null : string(rate, "unit"),
        kwh == null || number(kwh, "best") == null ? null
            : new double[] {orZero(number(kwh, "low")), number(kwh, "best"), orZero(number(kwh, "high"))},
        m.get("tls") instanceof Map);
    Unit unit = null;
    if (m.get("unit") instanceof Map<?, ?> u && u.get("name") instanceof String name) {
      Map<String, Object> um = (Map<String, Object>) u;
      unit = new Unit(name, string(um, "code"), um.get("category") instanceof String c ? UnitCategory.parse(c)
          : UnitCategory.UNKNOWN, string(um, "region_code"), string(um, "region"), string(um, "address"), null);
    }
    Geo geo = null;
    if (m.get("geo") instanceof Map<?, ?> g) {
      Map<String, Object> gm = (Map<String, Object>) g;
      geo = new Geo(string(gm, "country"), string(gm, "province"), string(gm, "city"), string(gm, "isp"),
          string(gm, "asn"));
    }
    return new Row(h, unit, geo);
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        JsonToken x;
        while ((x = p.nextToken()) != JsonToken.END_ARRAY) {
          l.add(value(p, x));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return p.getBooleanValue();
      }
      default -> {
        return null;
      }
    }
  }

  private static String string(Map<String, Object> m, String key) {
    return m.get(key) instanceof String s ? s : null;
  }

  private static Double number(Map<String, Object> m, String key) {
    return m.get(key) instanceof Double d ? d : null;
  }

  private static double orZero(Double d) {
    return d == null ? 0 : d;
  }

  private static Instant instant(Map<String, Object> m, String key) {
    String s = string(m, key);
    return s == null ? null : Instant.parse(s);
  }
}
