package org.minewatch.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Problem;
import org.minewatch.governance.access.Policy;
import org.minewatch.governance.user.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The regulator's HTTP server: Javalin around {@link Governance}. Every route is registered through
 * {@link #guard}, which authenticates the bearer token and asks the {@link Policy} about the
 * route's action before the handler runs: the one place where access is decided.
 */
public final class ApiServer implements AutoCloseable {
  /** The largest body any route takes (a tip-off with its attachments, base64-encoded). */
  public static final long MAX_BODY = 40L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final Governance governance;
  private final Javalin app;
  private final List<Route> routes;
  private final org.minewatch.server.web.WebPages pages;
  private org.eclipse.jetty.server.NetworkConnectionLimit connectionLimit;

  /**
   * Bounds on slow and numerous clients. A request's headers must be complete {@code headerTimeout}
   * after they began; its body must arrive at {@code minBodyRate} bytes a second or more once
   * {@code bodyGrace} has passed; at most {@code maxConnections} connections are open at once (the
   * next wait in the kernel's backlog, holding no thread). Beyond these, Jetty's idle timeout (30 s
   * without a byte) applies.
   */
  public record Limits(
      Duration headerTimeout, long minBodyRate, Duration bodyGrace, int maxConnections) {
    public static final Limits DEFAULT =
        new Limits(Duration.ofSeconds(20), 4096, Duration.ofSeconds(20), 1000);
  }

  private ApiServer(
      Governance governance, String host, int port, Clock clock, Tls tls, Limits limits) {
    this.governance = governance;
    // One budget of tip-offs per client address, for the JSON API and the public page alike.
    RateLimiter tipoffLimit = new RateLimiter(5, Duration.ofMinutes(10), clock);
    this.routes = new Api(governance, tipoffLimit).routes();
    this.pages = new org.minewatch.server.web.WebPages(governance);
    org.minewatch.server.web.DashboardPages.addTo(pages);
    org.minewatch.server.web.TipOffPages.addTo(pages, tipoffLimit);
    this.app =
        Javalin.create(
            config -> {
              config.http.maxRequestSize = MAX_BODY;
              config.startup.showJavalinBanner = false;
              config.jetty.host = host;
              config.jetty.port = port;
              config.jetty.modifyServer(
                  server -> {
                    connectionLimit =
                        new org.eclipse.jetty.server.NetworkConnectionLimit(
                            limits.maxConnections(), server);
                    server.addBean(connectionLimit);
                    server.addBean(new SlowClientGuard(server, limits));
                    server.setErrorHandler(new ClosingErrorHandler());
                  });
              if (tls != null) {
                // HTTPS only, on the same address: the default plain connector is not added when
                // one is given.
                config.jetty.addConnector((server, http) -> https(server, http, tls, host, port));
              }
              for (Route r : routes) {
                config.routes.addEndpoint(new Endpoint(r.method(), r.path(), ctx -> guard(r, ctx)));
              }
              for (org.minewatch.server.web.PageRoute r : pages.routes()) {
                config.routes.addEndpoint(
                    new Endpoint(r.method(), r.path(), ctx -> pages.guard(r, ctx)));
              }
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/assets";
                    files.directory = "/org/minewatch/server/web/static";
                    files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
                  });
              // uPlot from its WebJar, by name: a directory inside a jar is not a static-files root
              // Javalin accepts.
              config.routes.get("/assets/uplot/{file}", ApiServer::uplot);
              config.routes.before(ApiServer::securityHeaders);
              config.routes.exception(Problem.class, (e, ctx) -> problem(ctx, e));
              config.routes.exception(
                  HttpResponseException.class,
                  (e, ctx) -> {
                    ctx.status(e.getStatus());
                    json(
                        ctx,
                        e.getStatus(),
                        java.util.Map.of("error", Inputs.oneLine(e.getMessage())));
                  });
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    if (clientGone(e)) {
                      // A client that hung up, or was cut as too slow, mid-body: nothing to answer
                      // and no fault of the server.
                      LOG.warn(
                          "{} {}: the client's connection ended while its request was read ({})",
                          ctx.method(),
                          ctx.path(),
                          e);
                      return;
                    }
                    org.eclipse.jetty.http.HttpException bad = badRequest(e);
                    if (bad != null) {
                      // Jetty refused what the client sent (a malformed multipart body, say) when
                      // the handler asked for it.
                      String why = "the request is malformed: " + Inputs.oneLine(bad.getReason());
                      if (ctx.path().startsWith("/api/")) {
                        json(ctx, bad.getCode(), java.util.Map.of("error", why));
                      } else {
                        ctx.status(bad.getCode())
                            .contentType("text/html; charset=utf-8")
                            .result(
                                "<!DOCTYPE html><title>"
                                    + bad.getCode()
                                    + "</title><p>"
                                    + bad.getCode()
                                    + ": "
                                    + why.replace("&", "&amp;")
                                        .replace("<", "&lt;")
                                        .replace(">", "&gt;")
                                    + " <a href=\"/\">MineWatch</a></p>");
                      }
                      return;
                    }
                    LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                    json(
                        ctx,
                        500,
                        java.util.Map.of(
                            "error", "internal error; the server log has the details"));
                  });
              config.routes.error(
                  404,
                  ctx -> {
                    if (ctx.result() == null && !ctx.path().startsWith("/api/")) {
                      ctx.contentType("text/html; charset=utf-8")
                          .result(
                              "<!DOCTYPE html><title>404</title><p>404: "
                                  + "<a href=\"/\">MineWatch</a></p>");
                    } else if (ctx.result() == null) {
                      json(
                          ctx,
                          404,
                          java.util.Map.of(
                              "error",
                              "no such endpoint: "
                                  + ctx.method()
                                  + " "
                                  + ctx.path()
                                  + " (see /api/openapi.json)"));
                    }
                  });
            });
  }

  /** Starts a server on {@code host:port} (port 0: any free port). */
  public static ApiServer start(Governance governance, String host, int port) {
    return start(governance, host, port, null);
  }

  /**
   * Starts a server on {@code host:port} serving HTTPS only with {@code tls} (null: plain HTTP).
   */
  public static ApiServer start(Governance governance, String host, int port, Tls tls) {
    return start(governance, host, port, tls, Limits.DEFAULT);
  }

  /** Starts a server as above with other bounds on slow and numerous clients. */
  public static ApiServer start(
      Governance governance, String host, int port, Tls tls, Limits limits) {
    ApiServer s = new ApiServer(governance, host, port, governance.clock(), tls, limits);
    s.app.start();
    return s;
  }

  /** A TLS 1.2+ connector with the given key and chain. */
  private static org.eclipse.jetty.server.Connector https(
      org.eclipse.jetty.server.Server server,
      org.eclipse.jetty.server.HttpConfiguration http,
      Tls tls,
      String host,
      int port) {
    org.eclipse.jetty.server.HttpConfiguration config =
        new org.eclipse.jetty.server.HttpConfiguration(http);
    org.eclipse.jetty.server.SecureRequestCustomizer secure =
        new org.eclipse.jetty.server.SecureRequestCustomizer();
    // The certificate may name a host other than the one a client types (an address, say): not a
    // reason to refuse.
    secure.setSniHostCheck(false);
    config.addCustomizer(secure);
    org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl =
        new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(tls.password());
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    org.eclipse.jetty.server.ServerConnector c =
        new org.eclipse.jetty.server.ServerConnector(
            server,
            new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
            new org.eclipse.jetty.server.HttpConnectionFactory(config));
    c.setHost(host);
    c.setPort(port);
    return c;
  }

  public int port() {
    return app.port();
  }

  /** Connections open now (at most {@link Limits#maxConnections()}). */
  public int connections() {
    return connectionLimit.getNetworkConnectionCount();
  }

  public List<Route> routes() {
    return routes;
  }

  public List<org.minewatch.server.web.PageRoute> pageRoutes() {
    return pages.routes();
  }

  private void guard(Route r, Context ctx) throws Exception {
    User user = null;
    if (r.action() != null) {
      user = bearer(ctx) == null ? null : governance.authenticate(bearer(ctx)).orElse(null);
      if (user == null) {
        throw Problem.unauthenticated(
            "sign in first: POST /api/login, then send Authorization: Bearer TOKEN");
      }
      if (!Policy.may(user, r.action())) {
        governance.refuse(user, r.action(), r.method() + " " + ctx.path());
      }
    }
    // After the policy: an unauthorised caller learns nothing from the size check. GET bodies are
    // ignored.
    if (!io.javalin.http.HandlerType.GET.equals(r.method()) && ctx.contentLength() > r.maxBody()) {
      refuseBody(ctx);
      throw Problem.tooLarge(
          "the body is "
              + ctx.contentLength()
              + " bytes; "
              + r.path()
              + " takes at most "
              + r.maxBody());
    }
    Inputs.refuseNul(ctx);
    r.handler().handle(ctx, user);
  }

  /** Jetty's refusal of the request (a 4xx) in {@code e}'s causes, or null. */
  private static org.eclipse.jetty.http.HttpException badRequest(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.eclipse.jetty.http.HttpException h
          && h.getCode() >= 400
          && h.getCode() < 500) {
        return h;
      }
    }
    return null;
  }

  private static boolean clientGone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.eclipse.jetty.io.EofException
          || t instanceof java.nio.channels.ClosedChannelException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Oversized bodies read and discarded before the 413, so that far at most: beyond it the
   * connection is cut.
   */
  public static final long DRAIN_LIMIT = 2 * MAX_BODY;

  /**
   * Prepares the connection for a 413. A client that asked for "100-continue" has sent nothing and
   * hears the status at once. One that did not is still sending: cutting it off mid-body loses the
   * status on its side (it sees a reset), so a body of bounded size is read and discarded first and
   * the connection stays usable.
   */
  public static void refuseBody(Context ctx) throws java.io.IOException {
    boolean expects = "100-continue".equalsIgnoreCase(ctx.header("Expect"));
    if (expects || ctx.contentLength() > DRAIN_LIMIT) {
      ctx.header("Connection", "close");
      return;
    }
    try (var in = ctx.req().getInputStream()) {
      byte[] sink = new byte[64 * 1024];
      while (in.read(sink) >= 0) {
        // discarded
      }
    }
  }

  private static final java.util.Map<String, String> UPLOT =
      java.util.Map.of(
          "uPlot.iife.min.js",
          "text/javascript; charset=utf-8",
          "uPlot.min.css",
          "text/css; charset=utf-8");

  private static void uplot(Context ctx) throws java.io.IOException {
    String type = UPLOT.get(ctx.pathParam("file"));
    if (type == null) {
      ctx.status(404);
      return;
    }
    try (var in =
        ApiServer.class.getResourceAsStream(
            "/META-INF/resources/webjars/uplot/1.6.30/dist/" + ctx.pathParam("file"))) {
      if (in == null) {
        throw new IllegalStateException("the uPlot WebJar is missing from the class path");
      }
      ctx.header("Cache-Control", "public, max-age=86400")
          .contentType(type)
          .result(in.readAllBytes());
    }
  }

  static String bearer(Context ctx) {
    String h = ctx.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = h.substring(7).strip();
    return t.isEmpty() ? null : t;
  }

  private static void securityHeaders(Context ctx) {
    ctx.header(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    if ("https".equals(ctx.scheme())) {
      ctx.header("Strict-Transport-Security", "max-age=31536000");
    }
  }

  private static void problem(Context ctx, Problem p) {
    int status = org.minewatch.server.HttpStatuses.of(p);
    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("error", Inputs.oneLine(p.getMessage()));
    if (p.field() != null) {
      body.put("field", p.field());
    }
    if (p.line() != null) {
      body.put("line", p.line());
    }
    if (status == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    json(ctx, status, body);
  }

  private static void json(Context ctx, int status, Object body) {
    try {
      Json.send(ctx, status, body);
    } catch (Exception e) {
      ctx.status(500).result("{\"error\":\"internal error\"}");
    }
  }

  @Override
  public void close() {
    app.stop();
  }
}
