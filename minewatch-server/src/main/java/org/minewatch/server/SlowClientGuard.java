package org.minewatch.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the connections of clients too slow to serve (slowloris): a request whose headers are not
 * complete {@code headerTimeout} after they began, or whose body arrives below {@code minBodyRate}
 * bytes a second once {@code bodyGrace} has passed. Jetty's idle timeout alone cuts neither: a byte
 * every few seconds keeps a connection "active" for hours, and a body is read by a worker thread,
 * which it holds as long (Jetty 12 ignores {@code HttpConfiguration.minRequestDataRate}).
 *
 * <p>A sweep twice a second looks at each open HTTP/1.1 connection's parser: which part of a
 * request it is in, since when, and how many bytes came since. Closing the connection's end point
 * also ends a read blocked in a worker thread, which is then free.
 */
final class SlowClientGuard extends AbstractLifeCycle implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(SlowClientGuard.class);
  private static final long SWEEP_MS = 500;

  private enum Phase {
    IDLE,
    HEADERS,
    BODY
  }

  /** What the sweep last saw of one connection; touched by the sweep thread only. */
  private static final class Watch {
    Phase phase = Phase.IDLE;
    long messages = -1;
    long since;
    long bytesAtStart;
  }

  private final Server server;
  private final ApiServer.Limits limits;
  private final Map<HttpConnection, Watch> open = new ConcurrentHashMap<>();
  private ScheduledExecutorService sweeper;

  SlowClientGuard(Server server, ApiServer.Limits limits) {
    this.server = server;
    this.limits = limits;
  }

  @Override
  protected void doStart() {
    for (Connector c : server.getConnectors()) {
      c.addBean(
          this); // a connector hands its Connection.Listener beans to every connection it opens
    }
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "slow-client-guard");
              t.setDaemon(true);
              return t;
            });
    // sweep() catches what it throws, so the schedule never stops on a fault.
    java.util.concurrent.Future<?> unused =
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    sweeper.shutdownNow();
    for (Connector c : server.getConnectors()) {
      c.removeBean(this);
    }
    open.clear();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      open.put(http, new Watch());
    }
  }

  @Override
  public void onClosed(Connection connection) {
    if (connection instanceof HttpConnection http) {
      open.remove(http);
    }
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      open.forEach((http, w) -> look(http, w, now));
    } catch (RuntimeException e) {
      LOG.warn("slow-client sweep failed", e); // the next sweep runs regardless
    }
  }

  private void look(HttpConnection http, Watch w, long now) {
    HttpParser p = http.getParser();
    Phase phase =
        p.isStart()
            ? Phase.IDLE
            : p.inHeaderState() ? Phase.HEADERS : p.inContentState() ? Phase.BODY : Phase.IDLE;
    long messages = http.getMessagesIn();
    long bytes = http.getBytesIn();
    if (phase != w.phase || messages != w.messages) {
      w.phase = phase;
      w.messages = messages;
      w.since = now;
      w.bytesAtStart = bytes;
      return;
    }
    double seconds = (now - w.since) / 1e9;
    if (phase == Phase.HEADERS && seconds > limits.headerTimeout().toNanos() / 1e9) {
      cut(http, "request headers not complete after " + limits.headerTimeout().toSeconds() + " s");
    } else if (phase == Phase.BODY) {
      double grace = limits.bodyGrace().toNanos() / 1e9;
      long received = bytes - w.bytesAtStart;
      if (seconds > grace && received < limits.minBodyRate() * (seconds - grace)) {
        cut(
            http,
            String.format(
                java.util.Locale.ROOT,
                "request body at %.0f bytes/s, below the minimum of %d",
                received / seconds,
                limits.minBodyRate()));
      }
    }
  }

  private void cut(HttpConnection http, String why) {
    open.remove(http);
    LOG.warn("closed the connection from {}: {}", http.getEndPoint().getRemoteSocketAddress(), why);
    http.getEndPoint().close();
  }
}
