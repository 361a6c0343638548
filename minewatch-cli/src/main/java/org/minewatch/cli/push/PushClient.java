package org.minewatch.cli.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request to a MineWatch server's ingest ({@code POST {server}/api/findings}, a bearer token,
 * JSON lines) and what its answer means for the batch.
 */
public final class PushClient {
  private static final JsonFactory JSON = new JsonFactory();

  /** "line 3: ..." or "... (line 3)": a line named in the error's text. */
  private static final Pattern LINE_IN_TEXT =
      Pattern.compile("^line (\\d{1,9}):\\s*|\\s*\\(line (\\d{1,9})\\)");

  /** What to do with a batch after the server's answer. */
  public enum Kind {
    /** 200: stored (or already there); the batch is done. */
    ACCEPTED,
    /**
     * 400: a line is malformed and the whole batch was refused; sending it again changes nothing.
     */
    REFUSED,
    /** 413: the body is too large for the server; smaller batches may pass. */
    TOO_LARGE,
    /** 429, 503, any other 5xx, no connection, a timeout: the server is away; try later. */
    RETRY,
    /**
     * 401, 403 or another answer that waiting will not change (a wrong URL): stop sending, keep the
     * batches.
     */
    FATAL
  }

  /**
   * @param line for {@link Kind#REFUSED}, the server's 1-based line in the batch (0 if it gave
   *     none)
   * @param retryAfterSeconds the server's Retry-After, if it gave one
   */
  public record Answer(
      Kind kind,
      int status,
      Counts counts,
      String message,
      int line,
      OptionalLong retryAfterSeconds) {
    static Answer retry(String message) {
      return new Answer(Kind.RETRY, 0, null, message, 0, OptionalLong.empty());
    }
  }

  /** The server's totals for a request (or a sum of them). */
  public record Counts(long received, long created, long updated, long unchanged) {
    public static final Counts ZERO = new Counts(0, 0, 0, 0);

    public Counts plus(Counts o) {
      return new Counts(
          received + o.received, created + o.created, updated + o.updated, unchanged + o.unchanged);
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "received %,d, created %,d, updated %,d, unchanged %,d",
          received,
          created,
          updated,
          unchanged);
    }
  }

  private final URI endpoint;
  private final String token;
  private final HttpClient http;
  private final Duration requestTimeout;

  /**
   * @param server the server's base URL, {@code http(s)://host[:port][/prefix]}
   */
  public PushClient(URI server, String token, Duration connectTimeout, Duration requestTimeout) {
    String base = server.toString().replaceAll("/+$", "");
    this.endpoint = URI.create(base + "/api/findings");
    this.token = token;
    this.requestTimeout = requestTimeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public PushClient(URI server, String token) {
    this(server, token, Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * Sends one batch (JSON lines, each ending in a newline); never throws for the server's or the
   * network's faults.
   */
  public Answer send(byte[] body) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/x-ndjson")
            .header("User-Agent", "MineWatch/0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      return Answer.retry("no answer within " + Durations.show(requestTimeout));
    } catch (ConnectException e) {
      return Answer.retry(
          "cannot connect to "
              + endpoint.getHost()
              + ":"
              + port()
              + " ("
              + (e.getMessage() == null ? "connection refused" : e.getMessage())
              + ")");
    } catch (IOException e) {
      return Answer.retry(
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    Answer a =
        interpret(
            response.statusCode(),
            response.body(),
            response.headers().firstValue("Retry-After").orElse(null));
    String location = response.headers().firstValue("Location").orElse(null);
    if (a.kind() == Kind.FATAL && response.statusCode() / 100 == 3 && location != null) {
      // Typically http:// answered with a redirect to https://: the token is not sent to a new
      // place unasked.
      return new Answer(
          Kind.FATAL,
          a.status(),
          null,
          "the server redirects (" + a.status() + ") to " + location + ": give --server that URL",
          0,
          a.retryAfterSeconds());
    }
    return a;
  }

  private int port() {
    return endpoint.getPort() >= 0
        ? endpoint.getPort()
        : "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
  }

  static Answer interpret(int status, String body, String retryAfter) {
    Map<String, Object> json = parse(body);
    String error = json.get("error") instanceof String s ? s : null;
    String said = error != null ? error : abbreviate(body);
    OptionalLong after = OptionalLong.empty();
    if (retryAfter != null && retryAfter.strip().matches("\\d{1,6}")) {
      after = OptionalLong.of(Long.parseLong(retryAfter.strip()));
    }
    if (status == 200) {
      Counts c =
          new Counts(
              number(json, "received"),
              number(json, "created"),
              number(json, "updated"),
              number(json, "unchanged"));
      return new Answer(Kind.ACCEPTED, status, c, null, 0, after);
    }
    if (status == 400) {
      int line = (int) number(json, "line");
      String message = said.isEmpty() ? "malformed request" : said;
      if (error != null) {
        // The line may also (or only) be named in the text; it is reported once, by the caller.
        Matcher m = LINE_IN_TEXT.matcher(error);
        if (m.find()) {
          int named = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
          if (line == 0 || line == named) {
            line = named;
            message = (error.substring(0, m.start()) + error.substring(m.end())).strip();
          }
        }
      }
      return new Answer(Kind.REFUSED, status, null, message, line, after);
    }
    if (status == 413) {
      return new Answer(Kind.TOO_LARGE, status, null, "request body too large", 0, after);
    }
    if (status == 429 || status >= 500) {
      return new Answer(
          Kind.RETRY,
          status,
          null,
          "the server answered " + status + (said.isEmpty() ? "" : ": " + said),
          0,
          after);
    }
    String what =
        switch (status) {
          case 401 -> "the server does not accept the token (401)";
          case 403 -> "the token's role may not send findings (403)";
          case 404 -> "no MineWatch ingest at this URL (404)";
          default -> "unexpected answer " + status;
        };
    return new Answer(
        Kind.FATAL, status, null, what + (said.isEmpty() ? "" : ": " + said), 0, after);
  }

  private static long number(Map<String, Object> json, String key) {
    return json.get(key) instanceof Number n ? n.longValue() : 0;
  }

  /**
   * The top level of a JSON object: its string and number members; empty if the body is no JSON
   * object.
   */
  private static Map<String, Object> parse(String body) {
    Map<String, Object> m = new HashMap<>();
    if (body == null || body.isBlank()) {
      return m;
    }
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return m;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (t) {
          case VALUE_STRING -> m.put(name, p.getText());
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> m.put(name, p.getNumberValue());
          case START_OBJECT, START_ARRAY -> p.skipChildren();
          default -> {}
        }
      }
    } catch (IOException e) {
      // not JSON: the caller shows the text
    }
    return m;
  }

  private static String abbreviate(String body) {
    if (body == null) {
      return "";
    }
    String s = body.strip().replaceAll("\\s+", " ");
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
