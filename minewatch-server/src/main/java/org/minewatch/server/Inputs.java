package org.minewatch.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.util.List;
import java.util.Map;
import org.minewatch.governance.Problem;

/**
 * Checks every request's text before a handler sees it: no parameter may hold a NUL character.
 * PostgreSQL cannot store one in text (H2 can), so without this a NUL in a filter, a form field or
 * a JSON string reached the database and came back as a 500; now it is a 400 naming the parameter,
 * the same on both databases. Also puts refusal messages on one bounded line.
 */
public final class Inputs {
  /** The longest message a refusal carries: a quoted value beyond it is cut. */
  static final int MAX_MESSAGE = 500;

  private Inputs() {}

  /** Refuses a request whose path, query, form fields or file names hold a NUL. */
  public static void refuseNul(Context ctx) {
    if (ctx.path().indexOf('\0') >= 0) {
      throw Problem.invalid("path", "contains a NUL character");
    }
    check(ctx.queryParamMap());
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    if (type.startsWith("application/x-www-form-urlencoded")
        || type.startsWith("multipart/form-data")) {
      check(ctx.formParamMap());
      for (Map.Entry<String, List<UploadedFile>> e : ctx.uploadedFileMap().entrySet()) {
        for (UploadedFile f : e.getValue()) {
          if (f.filename() != null && f.filename().indexOf('\0') >= 0) {
            throw Problem.invalid(e.getKey(), "the file name contains a NUL character");
          }
        }
      }
    }
  }

  private static void check(Map<String, List<String>> params) {
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      if (e.getKey().indexOf('\0') >= 0) {
        throw Problem.invalid(null, "a parameter's name contains a NUL character");
      }
      for (String v : e.getValue()) {
        if (v != null && v.indexOf('\0') >= 0) {
          throw Problem.invalid(e.getKey(), "contains a NUL character");
        }
      }
    }
  }

  /** The path (a.b.c) of the first string in {@code n} holding a NUL, or null. */
  static String nulIn(JsonNode n, String at) {
    if (n.isTextual()) {
      return n.textValue().indexOf('\0') >= 0 ? at : null;
    }
    if (n.isArray()) {
      for (JsonNode e : n) {
        String p = nulIn(e, at);
        if (p != null) {
          return p;
        }
      }
    } else if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        String name = at == null ? e.getKey() : at + "." + e.getKey();
        if (e.getKey().indexOf('\0') >= 0) {
          return at == null ? "(a field name)" : at;
        }
        String p = nulIn(e.getValue(), name);
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  /**
   * A message as a refusal sends it: control characters a client sent (line breaks, tabs) shown
   * escaped, so the message stays one line, and at most {@link #MAX_MESSAGE} characters.
   */
  public static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(message.length(), MAX_MESSAGE) + 16);
    for (int i = 0; i < message.length() && b.length() < MAX_MESSAGE; i++) {
      char c = message.charAt(i);
      switch (c) {
        case '\r' -> b.append("\\r");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (b.length() >= MAX_MESSAGE && message.length() > MAX_MESSAGE) {
      b.setLength(MAX_MESSAGE);
      b.append("... (cut)");
    }
    return b.toString();
  }
}
