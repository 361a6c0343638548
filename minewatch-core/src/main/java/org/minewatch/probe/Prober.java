package org.minewatch.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.minewatch.model.Endpoint;

/**
 * Probes one endpoint at a time as a miner would, and decides whether it is a pool. Each dialect
 * gets a connection of its own, over TLS first (the suspects are mostly encrypted connections) and
 * then in clear, stopping at the first pool answer. Endpoints outside the allow-list are refused;
 * an endpoint probed within the interval is not connected to again (its remembered result is
 * returned); every connection waits for the rate limit. A connection that reaches its read limit
 * ({@link ProbeChannel#MAX_READ_BYTES}, TLS records included) ends the probe: an endpoint that
 * floods the probe gets no further connection.
 */
public final class Prober {
  /** Short: a pool answers a miner's first message at once. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

  public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(5);

  private final AllowList allowList;
  private final ProbeRateLimit rateLimit;
  private final ProbeMemory memory;
  private final Clock clock;
  private final Duration connectTimeout;
  private final Duration replyTimeout;

  public Prober(
      AllowList allowList,
      ProbeRateLimit rateLimit,
      ProbeMemory memory,
      Clock clock,
      Duration connectTimeout,
      Duration replyTimeout) {
    if (connectTimeout.toMillis() < 1 || replyTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("probe timeouts must be at least 1 ms");
    }
    this.allowList = allowList;
    this.rateLimit = rateLimit;
    this.memory = memory;
    this.clock = clock;
    this.connectTimeout = connectTimeout;
    this.replyTimeout = replyTimeout;
  }

  public boolean allows(Endpoint endpoint) {
    return allowList.allows(endpoint);
  }

  /** Why the endpoint may not be probed ("ENDPOINT is ..."), or null if it may be. */
  public String refusal(Endpoint endpoint) {
    String r = allowList.refusal(endpoint);
    return r == null ? null : endpoint + " is " + r;
  }

  public AllowList allowList() {
    return allowList;
  }

  public ProbeMemory memory() {
    return memory;
  }

  /**
   * The endpoint's result if it was probed within the interval, so it will not be connected to now.
   */
  public Optional<ProbeResult> remembered(Endpoint endpoint) {
    return memory.recent(endpoint, clock.instant());
  }

  /**
   * @throws IllegalArgumentException if the endpoint is outside the allow-list or in a range never
   *     probed (nothing is sent)
   * @throws InterruptedException if interrupted while waiting for the rate limit
   */
  public ProbeResult probe(Endpoint endpoint) throws InterruptedException {
    String refusal = refusal(endpoint);
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    Optional<ProbeResult> recent = remembered(endpoint);
    if (recent.isPresent()) {
      return recent.get();
    }
    Instant started = clock.instant();
    InetSocketAddress to;
    try {
      to =
          new InetSocketAddress(
              InetAddress.getByName(endpoint.address().toString()), endpoint.port());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          endpoint + ": not an address", e); // literals never need a look-up
    }
    List<String> attempts = new ArrayList<>();
    Confirmation confirmation = null;
    boolean speaksTls = false;
    wires:
    for (Wire wire : List.of(Wire.TLS, Wire.CLEAR)) {
      if (wire == Wire.CLEAR && speaksTls) {
        break; // a port that completed a TLS handshake does not speak in clear as well
      }
      for (Dialect dialect : Dialect.values()) {
        String label = dialect.label() + (wire == Wire.TLS ? " over TLS" : " in clear");
        rateLimit.acquire();
        ProbeChannel channel;
        try {
          channel = ProbeChannel.open(to, wire, connectTimeout);
        } catch (ProbeChannel.HandshakeFailed e) {
          attempts.add(
              label
                  + ": TLS handshake failed ("
                  + ProbeText.item(e.getMessage())
                  + ")"
                  + (e.readLimit() ? STOPPED : ""));
          if (e.readLimit()) {
            break wires;
          }
          continue wires;
        } catch (SocketTimeoutException e) {
          attempts.add(label + ": no TCP connection within " + seconds(connectTimeout));
          break wires;
        } catch (IOException e) {
          attempts.add(label + ": cannot connect (" + ProbeText.item(e.getMessage()) + ")");
          break wires;
        }
        speaksTls |= wire == Wire.TLS;
        try (channel) {
          DialectExchange.Outcome o = DialectExchange.run(channel, dialect, replyTimeout, started);
          boolean limit = o.readLimit() && o.poolAnswer() == null;
          attempts.add(label + ": " + o.said() + (limit ? STOPPED : ""));
          if (o.poolAnswer() != null) {
            confirmation =
                new Confirmation(
                    o.protocol(),
                    wire,
                    o.said(),
                    channel.certificateSha256(),
                    o.clue() == null ? null : o.clue().coin(),
                    o.clue() == null ? null : o.clue().algorithm(),
                    o.clue() == null ? null : o.clue().sentence());
            break wires;
          }
          if (limit) {
            break wires;
          }
          if (o.notJson()) {
            continue
                wires; // it speaks something else on this wire; another dialect will not change
            // that
          }
        } catch (IOException e) {
          attempts.add(label + ": connection failed (" + ProbeText.item(e.getMessage()) + ")");
        }
      }
    }
    ProbeResult result = new ProbeResult(endpoint, started, confirmation, attempts);
    memory.remember(result);
    return result;
  }

  /** Ends the record of a connection whose read limit ended the probe. */
  private static final String STOPPED = "; probe stopped";

  private static String seconds(Duration d) {
    return d.toMillis() / 1000.0 + " s";
  }
}
