package org.minewatch.testkit.pools;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A long-running pool of XMRig's dialect (the xmrig-proxy / monero-pool style JSON-RPC over
 * newline-delimited lines) on loopback, in clear or over TLS, for real miners to mine against:
 * {@code login} is answered with a RandomX job of a Monero hashing blob's shape, a new job is
 * pushed every {@code jobIntervalSeconds} (every {@code newBlockEvery}-th one a new block: a new
 * previous hash and height), {@code submit} is answered OK without checking, {@code keepalived} is
 * answered. Every message and event is logged, one JSON line each with its time and direction (the
 * truth of a recording: shares submitted, jobs pushed), in the format of {@code
 * ../shared/corpus/real-miners}' pool logs.
 */
public final class XmrigPool implements Closeable {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
  private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");

  /**
   * How the pool works: {@code tls} a server context (see {@link PemTls}) or null for clear, with
   * the one protocol it allows ("TLSv1.3", "TLSv1.2"); {@code port} 0 for any.
   */
  public record Config(
      boolean ipv6,
      int port,
      SSLContext tls,
      String tlsProtocol,
      double difficulty,
      double jobIntervalSeconds,
      int newBlockEvery,
      long seed) {}

  private final Config config;
  private final ServerSocket server;
  private final PrintWriter log;
  private final Random random;
  private final ScheduledExecutorService pusher;
  private final List<Connection> open = new CopyOnWriteArrayList<>();
  private final List<Thread> serving = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger shares = new AtomicInteger();
  private final AtomicInteger jobs = new AtomicInteger();
  private final AtomicInteger keepalives = new AtomicInteger();
  private final String seedHash;
  private final long started = System.currentTimeMillis();
  private byte[] previousHash = new byte[32];
  private long height;
  private int jobsSinceBlock;

  private XmrigPool(Config config, ServerSocket server, Path logFile) throws IOException {
    this.config = config;
    this.server = server;
    this.log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true);
    this.random = new Random(config.seed());
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    seedHash = HexFormat.of().formatHex(seed);
    random.nextBytes(previousHash);
    height = 3_300_000 + random.nextInt(200_000);
    event(
        0,
        null,
        String.format(
            Locale.ROOT,
            "{\"event\":\"listen\",\"mode\":\"xmr\",\"host\":\"%s\",\"port\":%d,\"tls\":%s,"
                + "\"diff\":%.1f,\"algo\":\"rx/0\",\"job_interval\":%.1f,\"new_block_every\":%d}",
            server.getInetAddress().getHostAddress(),
            server.getLocalPort(),
            config.tls() == null ? "false" : "\"" + config.tlsProtocol() + "\"",
            config.difficulty(),
            config.jobIntervalSeconds(),
            config.newBlockEvery()));
    pusher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "xmrig-pool-jobs"));
    long every = Math.round(config.jobIntervalSeconds() * 1000);
    pusher.scheduleAtFixedRate(this::pushJobs, every, every, TimeUnit.MILLISECONDS);
    daemon(this::acceptLoop, "xmrig-pool-" + server.getLocalPort()).start();
  }

  /** Starts listening on loopback ({@code ::1} or 127.0.0.1); every message goes to {@code log}. */
  public static XmrigPool start(Config config, Path log) throws IOException {
    InetAddress loopback = InetAddress.getByName(config.ipv6() ? "::1" : "127.0.0.1");
    ServerSocket s;
    if (config.tls() == null) {
      s = new ServerSocket();
    } else {
      SSLServerSocket tls =
          (SSLServerSocket) config.tls().getServerSocketFactory().createServerSocket();
      tls.setEnabledProtocols(new String[] {config.tlsProtocol()});
      s = tls;
    }
    try {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(loopback, config.port()), 50);
    } catch (IOException e) {
      s.close();
      throw new IOException(
          "the pool cannot listen on " + loopback.getHostAddress() + " port " + config.port(), e);
    }
    return new XmrigPool(config, s, log);
  }

  public int port() {
    return server.getLocalPort();
  }

  public int connections() {
    return connections.get();
  }

  /** Shares submitted (every {@code submit}, each answered OK). */
  public int shares() {
    return shares.get();
  }

  /** Jobs sent: the one in each login answer and every push. */
  public int jobs() {
    return jobs.get();
  }

  public int keepalives() {
    return keepalives.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Connection c = new Connection(connections.incrementAndGet(), s);
        open.add(c);
        serving.add(c.thread);
        c.thread.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** One miner's connection: its lines answered in turn, jobs pushed between them. */
  private final class Connection {
    final int number;
    final Socket socket;
    final String peer;
    final Thread thread = daemon(this::serve, "xmrig-pool-conn");
    // Read by the job pusher's thread as well as this connection's.
    volatile OutputStream out;
    volatile String sessionId;

    Connection(int number, Socket socket) {
      this.number = number;
      this.socket = socket;
      this.peer =
          socket.getInetAddress().getHostAddress().contains(":")
              ? "[" + socket.getInetAddress().getHostAddress() + "]:" + socket.getPort()
              : socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    void serve() {
      event(number, peer, "{\"event\":\"connect\"}");
      try (socket;
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
        if (socket instanceof SSLSocket tls) {
          tls.startHandshake();
          event(
              number,
              peer,
              "{\"event\":\"tls\",\"version\":\""
                  + tls.getSession().getProtocol()
                  + "\",\"cipher\":\""
                  + tls.getSession().getCipherSuite()
                  + "\"}");
        }
        out = socket.getOutputStream();
        String line;
        while ((line = in.readLine()) != null) {
          logLine(number, peer, "recv", line);
          answer(line);
        }
      } catch (IOException e) {
        event(number, peer, "{\"event\":\"error\",\"reason\":" + quote(e.toString()) + "}");
      } finally {
        open.remove(this);
        event(number, peer, "{\"event\":\"close\"}");
      }
    }

    private void answer(String line) throws IOException {
      String id = match(ID, line, "null");
      switch (match(METHOD, line, "")) {
        case "login" -> {
          byte[] sid = new byte[8];
          synchronized (XmrigPool.this) {
            random.nextBytes(sid);
          }
          sessionId = HexFormat.of().formatHex(sid);
          send(
              "{\"id\":"
                  + id
                  + ",\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\""
                  + sessionId
                  + "\",\"job\":"
                  + job(false)
                  + ",\"extensions\":[\"algo\",\"nicehash\",\"keepalive\"],\"status\":\"OK\"}}");
        }
        case "submit" -> {
          int n = shares.incrementAndGet();
          event(
              number,
              peer,
              String.format(
                  Locale.ROOT,
                  "{\"event\":\"share\",\"n\":%d,\"diff\":%.1f}",
                  n,
                  config.difficulty()));
          send(
              "{\"id\":"
                  + id
                  + ",\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"status\":\"OK\"}}");
        }
        case "keepalived" -> {
          keepalives.incrementAndGet();
          send(
              "{\"id\":"
                  + id
                  + ",\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"status\":\"KEEPALIVED\"}}");
        }
        default ->
            send(
                "{\"id\":"
                    + id
                    + ",\"jsonrpc\":\"2.0\",\"error\":{\"code\":-1,\"message\":\"Invalid method\"}}");
      }
    }

    /** Writes one line; the pusher's jobs and the answers never interleave. */
    synchronized void send(String json) throws IOException {
      logLine(number, peer, "send", json);
      out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private void pushJobs() {
    boolean newBlock;
    synchronized (this) {
      jobsSinceBlock++;
      newBlock = jobsSinceBlock >= config.newBlockEvery();
      if (newBlock) {
        jobsSinceBlock = 0;
      }
    }
    for (Connection c : open) {
      if (c.sessionId == null) {
        continue;
      }
      try {
        c.send("{\"jsonrpc\":\"2.0\",\"method\":\"job\",\"params\":" + job(newBlock) + "}");
      } catch (IOException | RuntimeException e) {
        // the miner went away (its reader logs the close); a fault here must not cancel the
        // pushes to come, which a scheduled task that throws would
      }
    }
  }

  /**
   * A job: a hashing blob of Monero's shape (major and minor version, a varint timestamp, the
   * previous block's hash, a zero nonce, the transactions' tree root and their count), the target
   * for the difficulty (0xFFFFFFFF / difficulty, 4 bytes little-endian), RandomX, the height and a
   * seed hash that stays (a real one changes every 2048 blocks).
   */
  private synchronized String job(boolean newBlock) {
    if (newBlock) {
      random.nextBytes(previousHash);
      height++;
    }
    byte[] root = new byte[32];
    random.nextBytes(root);
    int transactions = 1 + random.nextInt(120);
    long time = System.currentTimeMillis() / 1000;
    HexFormat hex = HexFormat.of();
    String blob =
        "1010"
            + hex.formatHex(varint(time))
            + hex.formatHex(previousHash)
            + "00000000"
            + hex.formatHex(root)
            + hex.formatHex(varint(transactions));
    long target = (long) (0xFFFFFFFFL / config.difficulty());
    String targetHex =
        String.format(
            Locale.ROOT,
            "%02x%02x%02x%02x",
            target & 0xff,
            (target >> 8) & 0xff,
            (target >> 16) & 0xff,
            (target >> 24) & 0xff);
    int n = jobs.incrementAndGet();
    return String.format(
        Locale.ROOT,
        "{\"blob\":\"%s\",\"job_id\":\"%08x%04x\",\"target\":\"%s\",\"algo\":\"rx/0\","
            + "\"height\":%d,\"seed_hash\":\"%s\"}",
        blob,
        height,
        n,
        targetHex,
        height,
        seedHash);
  }

  private static byte[] varint(long value) {
    byte[] b = new byte[10];
    int n = 0;
    long v = value;
    while ((v & ~0x7FL) != 0) {
      b[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[n++] = (byte) v;
    return java.util.Arrays.copyOf(b, n);
  }

  private void logLine(int conn, String peer, String dir, String json) {
    java.time.Instant now = java.time.Instant.now();
    String t = String.format(Locale.ROOT, "%d.%06d", now.getEpochSecond(), now.getNano() / 1000);
    synchronized (log) {
      log.println(
          "{\"t\":"
              + t
              + ",\"conn\":"
              + conn
              + ",\"peer\":"
              + (peer == null ? "null" : "\"" + peer + "\"")
              + ",\"dir\":\""
              + dir
              + "\",\"msg\":"
              + json
              + "}");
    }
  }

  private void event(int conn, String peer, String json) {
    logLine(conn, peer, "event", json);
  }

  private static String match(Pattern p, String line, String otherwise) {
    Matcher m = p.matcher(line);
    return m.find() ? m.group(1) : otherwise;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops pushing and listening, closes every connection and logs a summary. */
  @Override
  public void close() throws IOException {
    pusher.shutdownNow();
    server.close();
    for (Connection c : open) {
      c.socket.close();
    }
    // Each connection logs its close before the summary.
    for (Thread t : serving) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    event(
        0,
        null,
        String.format(
            Locale.ROOT,
            "{\"event\":\"summary\",\"started\":%.3f,\"stopped\":%.3f,\"connections\":%d,"
                + "\"shares_submitted\":%d,\"jobs_sent\":%d,\"keepalived\":%d}",
            started / 1000.0,
            System.currentTimeMillis() / 1000.0,
            connections.get(),
            shares.get(),
            jobs.get(),
            keepalives.get()));
    log.close();
  }
}
