package org.minewatch.server;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.util.Map;
import org.minewatch.governance.Problem;

/** JSON in and out: snake_case names like the scan's JSON lines, ISO instants, bounded parsing. */
final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * A reason in the API: its code and values (a phrase as a reason itself), and the sentence in
   * English.
   */
  private record ReasonJson(String code, java.util.List<Object> args, String text) {}

  static {
    MAPPER.registerModule(
        new com.fasterxml.jackson.databind.module.SimpleModule()
            .addSerializer(
                org.minewatch.attribution.assess.Reason.class,
                new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(
                    org.minewatch.attribution.assess.Reason.class) {
                  @Override
                  public void serialize(
                      org.minewatch.attribution.assess.Reason r,
                      com.fasterxml.jackson.core.JsonGenerator g,
                      com.fasterxml.jackson.databind.SerializerProvider p)
                      throws java.io.IOException {
                    p.defaultSerializeValue(
                        new ReasonJson(
                            r.code(),
                            r.values(),
                            org.minewatch.governance.cases.Reasons.english(r)),
                        g);
                  }
                }));
    MAPPER
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
  }

  private Json() {}

  static void send(Context ctx, int status, Object body) throws Exception {
    ctx.status(status)
        .contentType("application/json; charset=utf-8")
        .result(MAPPER.writeValueAsBytes(body));
  }

  static void send(Context ctx, Object body) throws Exception {
    send(ctx, 200, body);
  }

  /** The request body as a JSON object; 400 naming what is wrong otherwise. */
  static JsonNode object(Context ctx) {
    JsonNode n;
    try {
      n = MAPPER.readTree(ctx.bodyAsBytes());
    } catch (java.io.IOException e) {
      throw Problem.invalid(null, "the body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (n == null || !n.isObject()) {
      throw Problem.invalid(null, "the body must be a JSON object");
    }
    String nul = Inputs.nulIn(n, null);
    if (nul != null) {
      throw Problem.invalid(nul, "contains a NUL character");
    }
    return n;
  }

  static String text(JsonNode n, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw Problem.invalid(field, "is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw Problem.invalid(field, "must be a string");
    }
    return v.asText();
  }

  static Integer integer(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw Problem.invalid(field, "must be a whole number");
    }
    return v.asInt();
  }

  static Long longValue(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw Problem.invalid(field, "must be a whole number");
    }
    return v.asLong();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw Problem.invalid(field, "must be an object");
    }
    return MAPPER.convertValue(v, Map.class);
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }
}
