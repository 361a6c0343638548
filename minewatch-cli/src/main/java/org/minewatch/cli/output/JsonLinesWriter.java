package org.minewatch.cli.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.minewatch.evidence.Finding;

/** One JSON object per finding and line; every key present, null where unknown. */
final class JsonLinesWriter implements FindingWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  @Override
  public void write(List<Finding> findings, Writer out) throws IOException {
    for (Finding f : findings) {
      try (JsonGenerator g = FACTORY.createGenerator(out)) {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField("host", f.host().toString());
        g.writeStringField("role", f.role().label());
        g.writeStringField("verdict", f.verdict().label());
        g.writeStringField("coin", FindingFields.coin(f));
        g.writeStringField("protocol", FindingFields.protocol(f));
        g.writeArrayFieldStart("peers");
        for (String p : f.peers()) {
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
        g.writeEndObject();
      }
      out.write('\n');
    }
  }
}
