package org.minewatch.evidence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.minewatch.estimate.HashRate;
import org.minewatch.estimate.HashRateEstimator;
import org.minewatch.estimate.ShareSample;
import org.minewatch.flow.Flow;
import org.minewatch.identity.EthashChains;
import org.minewatch.identity.WalletAddress;
import org.minewatch.identity.Wallets;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

/**
 * Turns evidence into findings: one per host and role. Knows nothing of any detector: the verdict
 * is the strongest one the evidence supports, and the roles come with the evidence.
 */
public final class EvidenceAggregator implements FlowEvidence {
  /** Sentences kept per finding; the rest are counted. */
  public static final int MAX_SENTENCES = 50;

  /** Peers listed per finding; the rest are counted. */
  public static final int MAX_PEERS = 200;

  private record Key(IpAddress host, Role role) {}

  private static final class Builder {
    final Key key;
    Verdict verdict;
    Coin coin;
    Verdict coinFrom;
    Protocol protocol;
    Verdict protocolFrom;
    final TreeSet<Endpoint> peers = new TreeSet<>();
    int peersDropped;
    String login;
    String worker;
    String agent;
    long firstNanos = Long.MAX_VALUE;
    long lastNanos = Long.MIN_VALUE;
    long flows;
    long bytes;
    final List<String> sentences = new ArrayList<>();
    int sentencesDropped;
    Algorithm algorithm;
    String poolName;
    String serverName;
    final java.util.Set<String> sources = new java.util.TreeSet<>();
    TlsInfo tls;

    /**
     * The connections counted most recently, by their two ends: one seen both by packets and in
     * flow records (or by two inputs of other kinds) counts once.
     */
    final Map<Connection, Counted> recent =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Connection, Counted> eldest) {
            return size() > RECENT_CONNECTIONS;
          }
        };

    /**
     * Counts a flow that ended. A connection (the same two ends, spans within {@link
     * #SAME_CONNECTION_NANOS}) adds up per input (packets, nfdump, ...), and counts as the input
     * that saw most of it: flows and bytes seen by two inputs are not added twice, whichever input
     * comes first. Within one input every flow counts, as it always has.
     */
    void count(Connection c, String from, long first, long last, long flowBytes) {
      Counted seen = recent.get(c);
      if (seen == null
          || first > seen.last + SAME_CONNECTION_NANOS
          || last < seen.first - SAME_CONNECTION_NANOS) {
        seen = new Counted(first, last);
        recent.put(c, seen);
      }
      seen.first = Math.min(seen.first, first);
      seen.last = Math.max(seen.last, last);
      long[] mine = seen.bySource.computeIfAbsent(from, k -> new long[2]);
      mine[0]++;
      mine[1] += flowBytes;
      long mostFlows = 0;
      long mostBytes = 0;
      for (long[] v : seen.bySource.values()) {
        mostFlows = Math.max(mostFlows, v[0]);
        mostBytes = Math.max(mostBytes, v[1]);
      }
      flows += mostFlows - seen.flows;
      bytes += mostBytes - seen.bytes;
      seen.flows = mostFlows;
      seen.bytes = mostBytes;
    }

    /** Share samples by algorithm; their rates add within an algorithm, never across. */
    final Map<Algorithm, List<ShareSample>> samples = new LinkedHashMap<>();

    /** The latest self-reported rate of each flow, by algorithm. */
    final Map<Algorithm, Map<Long, Double>> reported = new HashMap<>();

    Builder(Key key) {
      this.key = key;
    }

    void add(Evidence e, Endpoint peer, boolean isClient) {
      if (verdict == null || e.supports().compareTo(verdict) < 0) {
        verdict = e.supports();
      }
      if (e.coin() != null && (coinFrom == null || e.supports().compareTo(coinFrom) < 0)) {
        coin = e.coin();
        coinFrom = e.supports();
      }
      if (e.protocol() != null
          && (protocolFrom == null || e.supports().compareTo(protocolFrom) < 0)) {
        protocol = e.protocol();
        protocolFrom = e.supports();
      }
      if (!peers.contains(peer)) {
        if (peers.size() < MAX_PEERS) {
          peers.add(peer);
        } else {
          peersDropped++;
        }
      }
      if (isClient) {
        // Logins, workers and agents describe the client side of a flow.
        login = login == null ? e.login() : login;
        worker = worker == null ? e.worker() : worker;
        agent = agent == null ? e.agent() : agent;
      }
      if (algorithm == null && e.algorithm() != null) {
        algorithm = e.algorithm();
      }
      if (poolName == null && e.poolName() != null) {
        poolName = e.poolName();
      }
      if (serverName == null && e.serverName() != null) {
        serverName = e.serverName();
      }
      if (tls == null && e.tls() != null) {
        tls = e.tls();
      }
      if (e.shares() != null) {
        samples.computeIfAbsent(e.shares().algorithm(), a -> new ArrayList<>()).add(e.shares());
      }
      if (!Double.isNaN(e.reportedHashrate()) && e.algorithm() != null) {
        reported
            .computeIfAbsent(e.algorithm(), a -> new HashMap<>())
            .put(e.flowId(), e.reportedHashrate());
      }
      firstNanos = Math.min(firstNanos, e.timestampNanos());
      lastNanos = Math.max(lastNanos, e.timestampNanos());
      if (sentences.size() < MAX_SENTENCES) {
        sentences.add(e.text());
      } else {
        sentencesDropped++;
      }
    }

    /**
     * One estimate per named worker, in name order: a farm's rigs or a botnet's victims one by one.
     */
    java.util.Map<String, HashRate> workers(Algorithm main) {
      List<ShareSample> all = main == null ? null : samples.get(main);
      if (all == null) {
        return java.util.Map.of();
      }
      java.util.Map<String, List<ShareSample>> byWorker = new java.util.TreeMap<>();
      for (ShareSample s : all) {
        if (s.worker() != null) {
          byWorker.computeIfAbsent(s.worker(), w -> new ArrayList<>()).add(s);
        }
      }
      java.util.Map<String, HashRate> out = new java.util.LinkedHashMap<>();
      byWorker.forEach((w, list) -> out.put(w, HashRateEstimator.estimate(main, list)));
      return java.util.Collections.unmodifiableMap(out);
    }

    Finding build(
        Function<String, String> poolNamer, Function<String, java.util.Set<Coin>> poolCoins) {
      List<String> text = new ArrayList<>(sentences);
      if (sentencesDropped > 0) {
        text.add(sentencesDropped + " more observations not listed");
      }
      // The algorithm with the most shares carries the estimate; the finding's algorithm follows
      // it.
      Algorithm main = algorithm;
      long most = -1;
      for (Map.Entry<Algorithm, List<ShareSample>> en : samples.entrySet()) {
        long n = en.getValue().stream().mapToLong(ShareSample::shares).sum();
        if (n > most) {
          most = n;
          main = en.getKey();
        }
      }
      HashRate rate =
          main != null && samples.containsKey(main)
              ? HashRateEstimator.estimate(main, samples.get(main))
              : null;
      if (main == null && reported.size() == 1) {
        main = reported.keySet().iterator().next();
      }
      Map<Long, Double> own = reported.get(main);
      Double selfReported =
          own == null ? null : own.values().stream().mapToDouble(Double::doubleValue).sum();
      // A login is a wallet only where it is a valid address; otherwise it stays an account name.
      WalletAddress wallet = Wallets.recognise(login).orElse(null);
      Coin findingCoin = coin;
      if (wallet != null) {
        text.add(
            0,
            "login "
                + login
                + " is a valid "
                + wallet.coin().label()
                + " "
                + wallet.network()
                + " "
                + wallet.kind()
                + " address ("
                + wallet.check()
                + " checksum verified)"
                + (wallet.coin() == Coin.ETHEREUM && coin != Coin.ETHEREUM
                    ? ", a format every Ethash chain's accounts share"
                    : ""));
        // The weaker clue, used only where the traffic named no coin, and not for a coin that was
        // no longer mined then (an Ethereum-format address after the Merge is another chain's).
        if (findingCoin == null
            && EthashChains.minedAt(wallet.coin(), Instant.ofEpochSecond(0, lastNanos))) {
          findingCoin = wallet.coin();
        }
      }
      String pool = poolName != null || serverName == null ? poolName : poolNamer.apply(serverName);
      java.util.Set<Coin> coins = pool == null ? java.util.Set.of() : poolCoins.apply(pool);
      if (findingCoin == null
          && coins.size() == 1
          && EthashChains.minedAt(coins.iterator().next(), Instant.ofEpochSecond(0, lastNanos))) {
        // The weakest clue: the catalogue's pool mines one coin only.
        findingCoin = coins.iterator().next();
        text.add(
            "pool "
                + pool
                + " mines "
                + findingCoin.label()
                + " only (pool catalogue): coin "
                + findingCoin.label());
      }
      if (main == null
          && findingCoin != null
          && org.minewatch.identity.ChainClues.algorithmOf(findingCoin) != null) {
        main = org.minewatch.identity.ChainClues.algorithmOf(findingCoin);
        text.add("algorithm " + main.label() + " follows from the coin " + findingCoin.label());
      }
      return new Finding(
          key.host,
          key.role,
          verdict,
          findingCoin,
          protocol,
          List.copyOf(peers),
          peersDropped,
          login,
          worker,
          agent,
          Instant.ofEpochSecond(0, firstNanos),
          Instant.ofEpochSecond(0, lastNanos),
          flows,
          bytes,
          List.copyOf(text),
          main,
          rate,
          selfReported,
          null,
          wallet,
          null,
          pool,
          tls,
          workers(main),
          String.join(",", sources));
    }
  }

  /** Connections remembered per finding to count one seen by two inputs once. */
  static final int RECENT_CONNECTIONS = 64;

  /**
   * Two inputs' views of one connection (its two ends) overlap in time up to this much apart: a
   * sensor's clock and an exporter's differ, and records are cut at their own times.
   */
  static final long SAME_CONNECTION_NANOS = 60_000_000_000L;

  /** A connection by its two ends, in a fixed order whichever side each input calls the client. */
  private record Connection(Endpoint low, Endpoint high) {
    static Connection of(Endpoint a, Endpoint b) {
      return a.compareTo(b) <= 0 ? new Connection(a, b) : new Connection(b, a);
    }
  }

  /**
   * A connection as counted: its span, flows and bytes per input, and what it added to its finding
   * (the most of each over its inputs).
   */
  private static final class Counted {
    final Map<String, long[]> bySource = new HashMap<>(2);
    long first;
    long last;
    long flows;
    long bytes;

    Counted(long first, long last) {
      this.first = first;
      this.last = last;
    }
  }

  private final Map<Key, Builder> builders = new LinkedHashMap<>();
  private final Function<String, String> poolNamer;
  private final Function<String, java.util.Set<Coin>> poolCoins;
  private String source = "packets";

  /**
   * The kind of input the evidence that follows comes from: "packets", "zeek", "suricata-eve", ...
   */
  public void source(String kind) {
    this.source = kind;
  }

  /**
   * @param poolNamer names the pool behind a host name a client said it connects to, or returns
   *     null; the aggregator itself knows no pool
   */
  public EvidenceAggregator(Function<String, String> poolNamer) {
    this(poolNamer, pool -> java.util.Set.of());
  }

  /**
   * @param poolNamer as above
   * @param poolCoins the coins a named pool mines (empty where unknown): a pool of one coin names
   *     the coin of its miners where their traffic does not
   */
  public EvidenceAggregator(
      Function<String, String> poolNamer, Function<String, java.util.Set<Coin>> poolCoins) {
    this.poolNamer = poolNamer;
    this.poolCoins = poolCoins;
  }

  /** Pools named and their coins from the catalogue. */
  public EvidenceAggregator(org.minewatch.intel.PoolCatalogue catalogue) {
    this(
        name -> catalogue.poolName(name).orElse(null),
        pool ->
            catalogue.byName(pool).map(org.minewatch.intel.Pool::coins).orElse(java.util.Set.of()));
  }

  public EvidenceAggregator() {
    this(name -> null);
  }

  /** The findings a flow's evidence went to, its two ends, and the input it came from. */
  private record FlowRef(List<Key> keys, Endpoint client, Endpoint server, String source) {}

  private final Map<Long, FlowRef> keysByFlow = new HashMap<>();

  /** Leads kept at most (each a connection); later ones are counted, not kept. */
  public static final int MAX_LEADS = 100_000;

  /**
   * A lead as it came, with the input it came from, and whether its flow had given evidence of its
   * own before (its flow is counted through that evidence, not through the lead).
   */
  private record Lead(Evidence evidence, String source, boolean flowCounted) {}

  /** Leads by the server they lead to, in the order first seen. */
  private final Map<Endpoint, List<Lead>> leads = new LinkedHashMap<>();

  /** The span and bytes of each lead's flow once it ended ({first, last, bytes}); null before. */
  private final Map<Long, long[]> leadSpans = new HashMap<>();

  private long leadsDropped;

  @Override
  public void accept(Evidence e) {
    if (e.isLead()) {
      if (leadSpans.size() < MAX_LEADS) {
        leads
            .computeIfAbsent(e.server(), s -> new ArrayList<>(1))
            .add(new Lead(e, source, keysByFlow.containsKey(e.flowId())));
        leadSpans.put(e.flowId(), null);
      } else {
        leadsDropped++;
      }
      return;
    }
    if (!leadSpans.isEmpty() && leadSpans.containsKey(e.flowId())) {
      settleLead(e.flowId(), e.server()); // the flow gives evidence of its own now
    }
    if (e.clientRole() != null) {
      add(e, new Key(e.client().address(), e.clientRole()), e.server(), true);
    }
    if (e.serverRole() != null) {
      add(e, new Key(e.server().address(), e.serverRole()), e.client(), false);
    }
  }

  private void add(Evidence e, Key key, Endpoint peer, boolean isClient) {
    Builder b = builders.computeIfAbsent(key, Builder::new);
    b.add(e, peer, isClient);
    b.sources.add(source);
    FlowRef ref =
        keysByFlow.computeIfAbsent(
            e.flowId(), id -> new FlowRef(new ArrayList<>(2), e.client(), e.server(), source));
    if (!ref.keys().contains(key)) {
      ref.keys().add(key);
    }
  }

  @Override
  public void flowEnded(Flow flow) {
    flowEnded(flow.id(), flow.firstNanos(), flow.lastNanos(), flow.bytes());
  }

  /** The same for a flow known from a record (a log line, a flow record) rather than packets. */
  public void flowEnded(long flowId, long firstNanos, long lastNanos, long bytes) {
    if (leadSpans.containsKey(flowId)) {
      leadSpans.put(flowId, new long[] {firstNanos, lastNanos, bytes});
    }
    FlowRef ref = keysByFlow.remove(flowId);
    if (ref == null) {
      return;
    }
    Connection connection = Connection.of(ref.client(), ref.server());
    for (Key key : ref.keys()) {
      Builder b = builders.get(key);
      b.count(connection, ref.source(), firstNanos, lastNanos, bytes);
      b.firstNanos = Math.min(b.firstNanos, firstNanos);
      b.lastNanos = Math.max(b.lastNanos, lastNanos);
    }
  }

  /**
   * The servers that leads point to, in the order first seen: connections shaped like the start of
   * a mining session, too short to judge, that no finding holds yet.
   */
  public List<Endpoint> leadServers() {
    return List.copyOf(leads.keySet());
  }

  /** Leads that did not fit under {@link #MAX_LEADS}. */
  public long leadsDropped() {
    return leadsDropped;
  }

  /**
   * A probe confirmed {@code server} as a pool: each lead to it becomes evidence of mining in
   * {@code protocol} (with {@code coin} and {@code algorithm} where the lead had none, either may
   * be null), its sentence followed by {@code confirmation}, with its flow's span where the flow
   * has ended (the span of its lead otherwise, until it ends).
   */
  public void confirmLeads(
      Endpoint server, Protocol protocol, Coin coin, Algorithm algorithm, String confirmation) {
    List<Lead> confirmed = leads.remove(server);
    if (confirmed == null) {
      return;
    }
    String before = source;
    for (Lead lead : confirmed) {
      Evidence e = lead.evidence();
      source = lead.source();
      // Taken first: the evidence below would otherwise settle the lead and lose its span.
      long[] span = leadSpans.remove(e.flowId());
      accept(
          new Evidence(
              Verdict.MINING,
              protocol,
              e.coin() != null ? e.coin() : coin,
              e.client(),
              e.server(),
              e.clientRole(),
              e.serverRole(),
              e.flowId(),
              e.timestampNanos(),
              e.login(),
              e.worker(),
              e.agent(),
              e.text() + "; " + confirmation,
              e.algorithm() != null ? e.algorithm() : algorithm,
              e.shares(),
              e.reportedHashrate(),
              e.poolName(),
              e.tls(),
              e.serverName()));
      if (lead.flowCounted()) {
        if (span != null) {
          // Ended and counted already: the evidence just added must not count it again.
          keysByFlow.remove(e.flowId());
        }
      } else if (span != null) {
        flowEnded(e.flowId(), span[0], span[1], span[2]);
      }
    }
    source = before;
  }

  /** Removes the lead of flow {@code flowId} to {@code server}: its flow is counted as evidence. */
  private void settleLead(long flowId, Endpoint server) {
    leadSpans.remove(flowId);
    List<Lead> toServer = leads.get(server);
    if (toServer != null) {
      toServer.removeIf(l -> l.evidence().flowId() == flowId);
      if (toServer.isEmpty()) {
        leads.remove(server);
      }
    }
  }

  /** A probe found no pool at {@code server}: its leads are settled and forgotten. */
  public void dropLeads(Endpoint server) {
    List<Lead> dropped = leads.remove(server);
    if (dropped != null) {
      dropped.forEach(l -> leadSpans.remove(l.evidence().flowId()));
    }
  }

  /** The findings so far: strongest verdict first, then by role and host. */
  public List<Finding> findings() {
    List<Finding> out = new ArrayList<>(builders.size());
    for (Builder b : builders.values()) {
      out.add(b.build(poolNamer, poolCoins));
    }
    out.sort(
        Comparator.comparing(Finding::verdict)
            .thenComparing(Finding::role)
            .thenComparing(Finding::host));
    return out;
  }
}
