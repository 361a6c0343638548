package org.minewatch.cli.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.minewatch.attribution.Attribution;
import org.minewatch.attribution.assess.Assessment;
import org.minewatch.attribution.geo.Geo;
import org.minewatch.attribution.registry.Unit;
import org.minewatch.evidence.Finding;

/** One JSON object per finding and line; every key present, null where unknown. */
final class JsonLinesWriter implements FindingWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private static void writeHashRate(JsonGenerator g, org.minewatch.estimate.HashRate r)
      throws IOException {
    if (r == null) {
      g.writeNullField("hashrate");
      return;
    }
    g.writeObjectFieldStart("hashrate");
    number(g, "value", r.tooFewShares() ? null : r.value());
    g.writeStringField("unit", r.unit());
    number(g, "low", r.tooFewShares() ? null : r.low());
    number(g, "high", r.tooFewShares() ? null : r.high());
    g.writeNumberField("shares", r.shares());
    g.writeStringField("method", r.method());
    if (r.tooFewShares()) {
      g.writeStringField(
          "note",
          "too few shares (at least "
              + org.minewatch.estimate.HashRateEstimator.MIN_SHARES
              + " needed)");
    }
    g.writeEndObject();
  }

  /** {@code unit}, {@code geo} and {@code assessment} (a miner's only), each null where unknown. */
  private static void writeAttribution(JsonGenerator g, Attribution at, boolean miner)
      throws IOException {
    Unit u = at == null ? null : at.unit();
    if (u == null) {
      g.writeNullField("unit");
    } else {
      g.writeObjectFieldStart("unit");
      g.writeStringField("name", u.name());
      g.writeStringField("code", u.code());
      g.writeStringField("category", u.category().label());
      g.writeStringField("region_code", u.regionCode());
      g.writeStringField("region", u.region());
      g.writeStringField("address", u.address());
      g.writeEndObject();
    }
    Geo geo = at == null ? null : at.geo();
    if (geo == null) {
      g.writeNullField("geo");
    } else {
      g.writeObjectFieldStart("geo");
      g.writeStringField("country", geo.country());
      g.writeStringField("province", geo.province());
      g.writeStringField("city", geo.city());
      g.writeStringField("isp", geo.isp());
      g.writeStringField("asn", geo.asn());
      g.writeEndObject();
    }
    Assessment a = at == null || !miner ? null : at.assessment();
    if (a == null) {
      g.writeNullField("assessment");
    } else {
      g.writeObjectFieldStart("assessment");
      g.writeStringField("kind", a.kind().label());
      g.writeArrayFieldStart("reasons");
      for (String r : a.reasons()) {
        g.writeString(r);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  /** Numbers rounded to 4 significant digits: the estimates are not more precise than that. */
  private static void number(JsonGenerator g, String name, Double v) throws IOException {
    if (v == null || v.isNaN() || v.isInfinite()) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(
          name,
          new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros());
    }
  }

  @Override
  public void write(
      List<Finding> findings,
      List<org.minewatch.operation.Operation> operations,
      java.util.Map<org.minewatch.model.IpAddress, Attribution> attributions,
      Writer out)
      throws IOException {
    for (Finding f : findings) {
      Attribution at = attributions.get(f.host());
      try (JsonGenerator g = FACTORY.createGenerator(out)) {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN); // 500, not 5E+2
        g.writeStartObject();
        g.writeStringField("host", f.host().toString());
        g.writeStringField("role", f.role().label());
        g.writeStringField("verdict", f.verdict().label());
        g.writeStringField("coin", FindingFields.coin(f));
        g.writeStringField("protocol", FindingFields.protocol(f));
        g.writeArrayFieldStart("peers");
        for (String p : FindingFields.peers(f)) {
          g.writeString(p);
        }
        g.writeEndArray();
        g.writeStringField("login", f.login());
        g.writeStringField("worker", f.worker());
        g.writeStringField("agent", f.agent());
        g.writeStringField("first_seen", FindingFields.time(f.firstSeen()));
        g.writeStringField("last_seen", FindingFields.time(f.lastSeen()));
        g.writeNumberField("flows", f.flows());
        g.writeNumberField("bytes", f.bytes());
        g.writeArrayFieldStart("evidence");
        for (String e : f.evidence()) {
          g.writeString(e);
        }
        g.writeEndArray();
        g.writeStringField("source", f.source());
        g.writeStringField("pool_name", f.poolName());
        g.writeStringField("wallet", f.wallet() == null ? null : f.wallet().address());
        g.writeStringField("operation", f.operation());
        g.writeStringField("algorithm", FindingFields.algorithm(f));
        writeHashRate(g, f.hashRate());
        g.writeArrayFieldStart("workers");
        for (var w : f.workers().entrySet()) {
          g.writeStartObject();
          g.writeStringField("name", w.getKey());
          writeHashRate(g, w.getValue());
          g.writeEndObject();
        }
        g.writeEndArray();
        number(g, "reported_hashrate", f.reportedHashrate());
        if (f.power() == null) {
          g.writeNullField("power_w");
          g.writeNullField("kwh_per_day");
        } else {
          g.writeObjectFieldStart("power_w");
          number(g, "low", f.power().lowWatts());
          number(g, "best", f.power().bestWatts());
          number(g, "high", f.power().highWatts());
          g.writeStringField("basis", f.power().basis());
          g.writeEndObject();
          g.writeObjectFieldStart("kwh_per_day");
          number(g, "low", f.power().lowKwhPerDay());
          number(g, "best", f.power().bestKwhPerDay());
          number(g, "high", f.power().highKwhPerDay());
          g.writeEndObject();
        }
        if (f.tls() == null) {
          g.writeNullField("tls");
        } else {
          g.writeObjectFieldStart("tls");
          g.writeStringField("sni", f.tls().sni());
          g.writeStringField("alpn", f.tls().alpn());
          g.writeStringField("ja3", f.tls().ja3());
          g.writeStringField("ja4", f.tls().ja4());
          g.writeEndObject();
        }
        writeAttribution(g, at, f.role() == org.minewatch.model.Role.MINER);
        g.writeEndObject();
      }
      out.write('\n');
    }
  }
}
