package org.minewatch.logs;

import java.time.Instant;
import org.minewatch.detect.stratum.StratumGrammar;
import org.minewatch.evidence.Evidence;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.evidence.TlsInfo;
import org.minewatch.intel.Intel;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

/**
 * Turns sensor log records into the same evidence packets give. Logs carry no payload, so what they
 * show is never more than suspect: a pool's name asked for in DNS, a TLS server name or HTTP host
 * of a pool, a connection to an address resolved from a pool's name or on a block list, a miner
 * program's User-Agent.
 */
public final class LogAnalyzer {
  private final Intel intel;
  private final EvidenceAggregator aggregator;
  private final String source;
  private long nextFlowId = 1L << 62; // apart from the packet engine's flow ids

  public LogAnalyzer(Intel intel, EvidenceAggregator aggregator, String source) {
    this.intel = intel;
    this.aggregator = aggregator;
    this.source = source;
  }

  public void record(LogRecord r) {
    for (IpAddress a : r.answers()) {
      if (r.query() != null && intel.catalogue().poolName(r.query()).isPresent()) {
        intel.names().put(a, r.query());
      }
    }
    Endpoint client = new Endpoint(r.origHost(), r.origPort());
    Endpoint server = new Endpoint(r.respHost(), r.respPort());
    String prefix =
        (r.transport() == null ? "" : r.transport().toUpperCase(java.util.Locale.ROOT) + " ")
            + client
            + " -> "
            + server
            + " at "
            + Instant.ofEpochSecond(0, r.timestampNanos())
            + " ("
            + source
            + ", "
            + r.kind()
            + "): ";
    long flow = nextFlowId++;
    boolean any = false;
    if (r.query() != null) {
      String pool = intel.catalogue().poolName(r.query()).orElse(null);
      if (pool != null) {
        any |=
            emit(
                client,
                server,
                null,
                flow,
                r,
                prefix
                    + "DNS query for "
                    + r.query()
                    + " (mining pool "
                    + pool
                    + ")"
                    + (r.answers().isEmpty() ? "" : " -> " + r.answers()),
                pool,
                null,
                r.query(),
                null);
      }
    }
    Intel.PoolMatch pool =
        intel.poolOf(r.serverName() != null ? r.serverName() : r.host(), r.respHost());
    if (pool != null && r.query() == null) {
      TlsInfo tls =
          r.serverName() != null || r.ja3() != null || r.ja4() != null
              ? new TlsInfo(r.serverName(), null, r.ja3(), r.ja4())
              : null;
      any |=
          emit(
              client,
              server,
              Role.POOL,
              flow,
              r,
              prefix
                  + "connection to "
                  + pool.reason()
                  + " (mining pool "
                  + pool.pool()
                  + ")"
                  + (tls != null && tls.ja3() != null ? "; JA3 " + tls.ja3() : ""),
              pool.pool(),
              tls,
              r.serverName() != null ? r.serverName() : r.host(),
              null);
    }
    if (r.userAgent() != null && StratumGrammar.isMinerAgent(r.userAgent())) {
      any |=
          emit(
              client,
              server,
              null,
              flow,
              r,
              prefix + "HTTP from a miner's User-Agent \"" + r.userAgent() + "\"",
              null,
              null,
              r.host(),
              Protocol.MINER_HTTP);
    }
    if (any) {
      long end = r.timestampNanos() + (long) (r.durationSeconds() * 1e9);
      aggregator.flowEnded(flow, r.timestampNanos(), end, r.bytes());
    }
  }

  /**
   * A connection whose flow records alone are shaped like a mining session, to an address on no
   * list: suspect, the server a suspected pool, in the words of {@code text}.
   */
  public void shapedLikeMining(
      Endpoint client, Endpoint server, long firstNanos, long lastNanos, long bytes, String text) {
    long flow = nextFlowId++;
    String prefix =
        "TCP "
            + client
            + " -> "
            + server
            + " at "
            + Instant.ofEpochSecond(0, firstNanos)
            + " ("
            + source
            + ", flow records): ";
    aggregator.accept(
        new Evidence(
            Verdict.SUSPECT,
            Protocol.MINING_BEHAVIOUR,
            null,
            client,
            server,
            Role.MINER,
            Role.POOL,
            flow,
            firstNanos,
            null,
            null,
            null,
            prefix + text,
            null,
            null,
            Double.NaN,
            null,
            null,
            null));
    aggregator.flowEnded(flow, firstNanos, lastNanos, bytes);
  }

  private boolean emit(
      Endpoint client,
      Endpoint server,
      Role serverRole,
      long flow,
      LogRecord r,
      String text,
      String pool,
      TlsInfo tls,
      String serverName,
      Protocol protocol) {
    aggregator.accept(
        new Evidence(
            Verdict.SUSPECT,
            protocol,
            null,
            client,
            server,
            Role.MINER,
            serverRole,
            flow,
            r.timestampNanos(),
            null,
            null,
            r.userAgent(),
            text,
            null,
            null,
            Double.NaN,
            pool,
            tls,
            serverName));
    return true;
  }
}
