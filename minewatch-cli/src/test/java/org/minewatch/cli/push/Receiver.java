package org.minewatch.cli.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for {@code minewatch serve}'s ingest, on the JDK's HTTP server: checks the token,
 * validates every line (a JSON object with a host and a role) and stores by host and role,
 * answering as the real server's contract says (200 with counts, 400 with the line, 401, 403). It
 * records every request, answers scripted statuses on demand, and can be stopped and started again
 * on the same port.
 */
final class Receiver implements AutoCloseable {
  static final String TOKEN = "s3cret";
  static final String VIEWER_TOKEN = "viewer";

  /** One request as it arrived. */
  record Request(
      String method,
      String path,
      String authorization,
      String contentType,
      List<String> lines,
      int status) {}

  private final int port;
  private HttpServer http;
  private final List<Request> requests = new ArrayList<>();

  /** Every line of every request answered 200, in order, repetitions included. */
  private final List<String> accepted = new ArrayList<>();

  /** What the server holds: host and role → the line last stored. */
  private final Map<String, String> stored = new LinkedHashMap<>();

  private final Deque<Integer> script = new ArrayDeque<>();

  /** A receiver for a free port, not yet started. */
  Receiver() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.port = probe.getLocalPort();
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Starts it on its port (again after {@link #stop}); nothing if it runs. */
  synchronized Receiver start() throws IOException {
    if (http != null) {
      return this;
    }
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    http.createContext("/", this::handle);
    http.start();
    return this;
  }

  synchronized void stop() {
    if (http != null) {
      http.stop(0);
      http = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * The next requests are answered with these statuses (200: the normal handling), then normally
   * again.
   */
  synchronized void script(int... statuses) {
    for (int s : statuses) {
      script.add(s);
    }
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  synchronized List<String> accepted() {
    return List.copyOf(accepted);
  }

  synchronized Map<String, String> stored() {
    return Map.copyOf(stored);
  }

  private void handle(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(List.of(body.split("\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1); // the last newline ends a line; it does not start one
    }
    String auth = x.getRequestHeaders().getFirst("Authorization");
    int status;
    String answer;
    synchronized (this) {
      Integer scripted = script.poll();
      if (!x.getRequestMethod().equals("POST")
          || !x.getRequestURI().getPath().equals("/api/findings")) {
        status = 404;
        answer = "{\"error\":\"not found\"}";
      } else if (scripted != null && scripted != 200) {
        status = scripted;
        answer =
            switch (scripted) {
              case 400 -> "{\"error\":\"scripted refusal\",\"line\":1}";
              case 413 -> "{\"error\":\"body too large\"}";
              default -> "{\"error\":\"try later\"}";
            };
      } else if (!("Bearer " + TOKEN).equals(auth) && !("Bearer " + VIEWER_TOKEN).equals(auth)) {
        status = 401;
        answer = "{\"error\":\"bad or missing token\"}";
      } else if (("Bearer " + VIEWER_TOKEN).equals(auth)) {
        status = 403;
        answer = "{\"error\":\"role viewer may not ingest findings\"}";
      } else {
        String problem = null;
        int bad = 0;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < lines.size() && problem == null; i++) {
          problem = check(lines.get(i), keys);
          bad = i + 1;
        }
        if (problem != null) {
          status = 400;
          answer = "{\"error\":\"" + problem + "\",\"line\":" + bad + "}";
        } else {
          long created = 0;
          long updated = 0;
          long unchanged = 0;
          for (int i = 0; i < lines.size(); i++) {
            String before = stored.put(keys.get(i), lines.get(i));
            if (before == null) {
              created++;
            } else if (before.equals(lines.get(i))) {
              unchanged++;
            } else {
              updated++;
            }
          }
          accepted.addAll(lines);
          status = 200;
          answer =
              "{\"received\":"
                  + lines.size()
                  + ",\"created\":"
                  + created
                  + ",\"updated\":"
                  + updated
                  + ",\"unchanged\":"
                  + unchanged
                  + "}";
        }
      }
      requests.add(
          new Request(
              x.getRequestMethod(),
              x.getRequestURI().getPath(),
              auth,
              x.getRequestHeaders().getFirst("Content-Type"),
              lines,
              status));
    }
    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, out.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(out);
    }
  }

  /**
   * Null if the line is a finding (a JSON object with string host and role), else why not; adds its
   * key.
   */
  private static String check(String line, List<String> keys) {
    String host = null;
    String role = null;
    try (JsonParser p = new JsonFactory().createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return "not a JSON object";
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else if (name.equals("host") && t == JsonToken.VALUE_STRING) {
          host = p.getText();
        } else if (name.equals("role") && t == JsonToken.VALUE_STRING) {
          role = p.getText();
        }
      }
      if (p.nextToken() != null) {
        return "more than one JSON value";
      }
    } catch (IOException e) {
      return "malformed JSON";
    }
    if (host == null || role == null) {
      return "a finding needs host and role";
    }
    keys.add(host + "|" + role);
    return null;
  }
}
