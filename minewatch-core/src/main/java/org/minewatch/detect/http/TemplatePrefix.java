package org.minewatch.detect.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.minewatch.detect.json.JsonTree;

/**
 * The chain members of a getblocktemplate answer ({@code previousblockhash}, {@code bits}, {@code
 * curtime}: top-level members of its {@code result}) read from the start of a body too long for the
 * reassembly buffer, as its bytes arrive. A real answer is hundreds of KiB, mostly its {@code
 * transactions} array; what comes before the cut is read and the rest never is, so a member written
 * after the transactions (Bitcoin Core writes {@code bits} and {@code curtime} there, btcd before)
 * is not known, rather than guessed.
 *
 * <p>Jackson's non-blocking parser takes the bytes piece by piece and stops at the end of each
 * without error, keeping only an unfinished token; a string or number cut at the end is not read.
 * Anything that is not such a JSON object ends the reading with nothing found.
 */
final class TemplatePrefix {
  private static final Set<String> WANTED = Set.of("previousblockhash", "bits", "curtime");

  /** No document limit: it is fed at most what the reassembly buffer holds. */
  private static final JsonFactory FACTORY = JsonTree.factory(-1);

  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private final Map<String, Object> members = new HashMap<>(4);
  private int depth;
  private boolean resultNext;
  private int resultDepth = -1;
  private String member;
  private boolean done;

  TemplatePrefix() {
    try {
      parser = FACTORY.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException("jackson-core has no non-blocking parser", e);
    }
    feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
  }

  /** Whether reading is over: every member found, the {@code result} object ended, or no JSON. */
  boolean done() {
    return done;
  }

  /**
   * The members found so far ({@code String} for strings, {@code Long} for integers); empty once
   * the body proved not to be JSON.
   */
  Map<String, Object> members() {
    return members;
  }

  /** Reads the next bytes of the body. */
  void feed(byte[] data, int from, int to) {
    if (done || from >= to) {
      return;
    }
    try {
      feeder.feedInput(data, from, to);
      JsonToken t;
      while (!done && (t = parser.nextToken()) != JsonToken.NOT_AVAILABLE && t != null) {
        token(t);
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON, or beyond the bounds: nothing read from it counts.
      members.clear();
      done = true;
    }
  }

  private void token(JsonToken t) throws IOException {
    if (depth == 0 && t != JsonToken.START_OBJECT) {
      done = true; // an answer is an object
      return;
    }
    String wanted = member;
    member = null;
    boolean result = resultNext;
    resultNext = false;
    switch (t) {
      case START_OBJECT, START_ARRAY -> {
        depth++;
        if (result && t == JsonToken.START_OBJECT) {
          resultDepth = depth;
        }
      }
      case END_OBJECT, END_ARRAY -> {
        depth--;
        done = depth < resultDepth || depth == 0;
      }
      case FIELD_NAME -> {
        String name = parser.currentName();
        if (depth == 1) {
          resultNext = "result".equals(name);
        } else if (depth == resultDepth && WANTED.contains(name)) {
          member = name;
        }
      }
      case VALUE_STRING -> {
        if (wanted != null) {
          members.put(wanted, parser.getText());
        }
      }
      case VALUE_NUMBER_INT -> {
        if (wanted != null && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          members.put(wanted, parser.getLongValue());
        }
      }
      default -> {
        // other scalars: not a member the chain is read from
      }
    }
    done |= members.size() == WANTED.size();
  }
}
