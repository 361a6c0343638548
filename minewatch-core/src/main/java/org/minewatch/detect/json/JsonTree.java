package org.minewatch.detect.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one JSON value with Jackson's streaming parser into plain Java values: {@code Map}, {@code
 * List}, {@code String}, {@code Long}, {@code BigInteger}, {@code Double}, {@code Boolean} and
 * {@link #NULL}. Bounded in depth, string length, number length and element count, so a hostile
 * peer cannot make it work hard.
 */
public final class JsonTree {
  /** JSON null, distinct from an absent member. */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  public static final int MAX_ELEMENTS = 4096;

  private static final JsonFactory FACTORY = factory(256 * 1024);

  /**
   * A parser factory with the bounds every reader of pool and node messages keeps: nesting, string
   * and number lengths; and documents of at most {@code maxDocumentLength} bytes (-1: none, for a
   * reader fed only as much as it may hold).
   */
  public static JsonFactory factory(long maxDocumentLength) {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(JsonFraming.MAX_DEPTH)
                .maxStringLength(64 * 1024)
                .maxNumberLength(80)
                .maxDocumentLength(maxDocumentLength)
                .build())
        .build();
  }

  private JsonTree() {}

  /** Thrown for anything that is not one well-formed JSON value within the bounds. */
  public static final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message, null, false, false);
    }
  }

  public static Object parse(byte[] b, int offset, int length) throws JsonException {
    try (JsonParser p = FACTORY.createParser(b, offset, length)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new JsonException("empty");
      }
      int[] budget = {MAX_ELEMENTS};
      Object v = value(p, t, budget);
      if (p.nextToken() != null) {
        throw new JsonException("trailing data after the JSON value");
      }
      return v;
    } catch (IOException | RuntimeException e) {
      throw new JsonException(e.getMessage());
    }
  }

  private static Object value(JsonParser p, JsonToken t, int[] budget)
      throws IOException, JsonException {
    if (--budget[0] < 0) {
      throw new JsonException("too many elements");
    }
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        JsonToken k;
        while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken(), budget));
        }
        if (k != JsonToken.END_OBJECT) {
          throw new JsonException("object not closed");
        }
        return Collections.unmodifiableMap(m);
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
          if (e == null) {
            throw new JsonException("array not closed");
          }
          l.add(value(p, e, budget));
        }
        return Collections.unmodifiableList(l);
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT, LONG -> p.getLongValue();
          default -> p.getBigIntegerValue();
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return NULL;
      }
      default -> throw new JsonException("unexpected token " + t);
    }
  }
}
