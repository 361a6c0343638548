package org.minewatch.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests, run from the server binaries installed on the machine
 * (Debian's {@code postgresql} package puts them in {@code /usr/lib/postgresql/VERSION/bin}; {@code
 * .ci/run} installs it). No Docker and no JDBC driver: {@code initdb}, {@code pg_ctl} and {@code
 * psql} are run with {@link ProcessBuilder}.
 *
 * <p>The server lives in a fresh directory under {@code /tmp} (data directory, Unix socket, log),
 * listens on 127.0.0.1 only, on a free port, trusts local and 127.0.0.1 connections for the
 * superuser {@value #USER}, and runs with {@code fsync} off. {@link #close()} stops it and deletes
 * the directory; a JVM shutdown hook does the same if the test run is aborted, and a later start
 * stops and deletes servers whose JVM died without running its hooks.
 *
 * <p>PostgreSQL refuses to run as root. When the JVM runs as root (as the tests do here and in CI),
 * the server binaries run as the unprivileged {@code postgres} user (or {@code nobody}) via {@code
 * runuser}, and the directory is given to that user.
 *
 * <p>Typical use, one server per JVM shared by all test classes, each with its own database:
 *
 * <pre>{@code
 * @BeforeAll static void database() {
 *   Assumptions.assumeTrue(PostgresServer.available(), PostgresServer::unavailableReason);
 *   url = PostgresServer.instance().createDatabase();   // user() / password() for the login
 * }
 * }</pre>
 */
public final class PostgresServer implements AutoCloseable {
  /**
   * Environment variable naming the bin directory to use instead of {@code
   * /usr/lib/postgresql/*}{@code /bin}.
   */
  public static final String BIN_ENV = "MINEWATCH_PG_BIN";

  static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
  static final String HOST = "127.0.0.1";
  static final String USER = "minewatch";
  private static final String PASSWORD = "minewatch";
  private static final String DIR_PREFIX = "minewatch-pg-";
  private static final List<String> TOOLS = List.of("initdb", "pg_ctl", "postgres", "psql");
  private static final int LOG_TAIL_LINES = 40;

  /** Where the binaries are, or why there are none. */
  record Binaries(Path dir, String reason) {}

  /** What starting a server needs on this machine, or why it can't. */
  private record Setup(Path binDir, String runAs, Path runuser, String reason) {}

  private static Setup setup;
  private static PostgresServer shared;
  private static RuntimeException sharedFailure;

  private final Setup machine;
  private final Path dir;
  private final Path dataDir;
  private final Path socketDir;
  private final Path log;
  private final Thread shutdownHook;
  private final AtomicInteger databases = new AtomicInteger();
  private volatile int port;
  private boolean closed;

  private PostgresServer(Setup machine, Path dir) {
    this.machine = machine;
    this.dir = dir;
    this.dataDir = dir.resolve("data");
    this.socketDir = dir.resolve("socket");
    this.log = dir.resolve("postgres.log");
    this.shutdownHook = new Thread(this::close, "minewatch-postgres-stop");
  }

  // ---------------------------------------------------------------- availability

  /** Whether a server can be started here: binaries found and, as root, a user to run them as. */
  public static boolean available() {
    return setup().reason() == null;
  }

  /** Why no server can be started here, or {@code null} when one can. */
  public static String unavailableReason() {
    return setup().reason();
  }

  private static synchronized Setup setup() {
    if (setup == null) {
      setup = detect();
    }
    return setup;
  }

  private static Setup detect() {
    Binaries binaries = locate(System.getenv(BIN_ENV), DEBIAN_ROOT);
    if (binaries.reason() != null) {
      return new Setup(null, null, null, binaries.reason());
    }
    if (!runningAsRoot()) {
      return new Setup(binaries.dir(), null, null, null);
    }
    String user = unprivilegedUser();
    if (user == null) {
      return new Setup(
          null,
          null,
          null,
          "running as root, and neither a postgres nor a nobody user is in"
              + " /etc/passwd to run PostgreSQL as (initdb and postgres refuse to run as root)");
    }
    Path runuser = findExecutable("runuser");
    if (runuser == null) {
      return new Setup(
          null,
          null,
          null,
          "running as root, and runuser (util-linux) is missing to run"
              + " PostgreSQL as "
              + user
              + " (initdb and postgres refuse to run as root)");
    }
    return new Setup(binaries.dir(), user, runuser, null);
  }

  /**
   * Finds the server binaries: the directory in {@code override} (the {@value #BIN_ENV} variable)
   * when set, else the newest {@code ROOT/VERSION/bin} holding initdb, pg_ctl, postgres and psql.
   */
  static Binaries locate(String override, Path root) {
    if (override != null && !override.isBlank()) {
      Path bin = Path.of(override.trim());
      List<String> missing = missingTools(bin);
      return missing.isEmpty()
          ? new Binaries(bin, null)
          : new Binaries(
              null,
              BIN_ENV
                  + "="
                  + override
                  + " has no executable "
                  + String.join(", ", missing)
                  + "; point it at a PostgreSQL server's bin directory, or unset it to use "
                  + root
                  + "/*/bin");
    }
    List<Path> versions = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(root, Files::isDirectory)) {
        children.forEach(versions::add);
      } catch (IOException e) {
        // reported below as not found
      }
    }
    versions.sort(
        Comparator.comparing(
                (Path p) -> versionKey(p.getFileName().toString()), PostgresServer::compareVersions)
            .reversed());
    for (Path version : versions) {
      Path bin = version.resolve("bin");
      if (missingTools(bin).isEmpty()) {
        return new Binaries(bin, null);
      }
    }
    return new Binaries(
        null,
        "PostgreSQL server binaries not found under "
            + root
            + "/*/bin;"
            + " install Debian's postgresql package (.ci/run does), or set "
            + BIN_ENV
            + " to a bin directory");
  }

  private static List<String> missingTools(Path bin) {
    List<String> missing = new ArrayList<>();
    for (String tool : TOOLS) {
      Path p = bin.resolve(tool);
      if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
        missing.add(tool);
      }
    }
    return missing;
  }

  private static int[] versionKey(String name) {
    String[] parts = name.split("\\.");
    int[] key = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        key[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        return new int[] {-1};
      }
    }
    return key;
  }

  private static int compareVersions(int[] a, int[] b) {
    return Arrays.compare(a, b);
  }

  private static boolean runningAsRoot() {
    try {
      Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (id.waitFor(10, TimeUnit.SECONDS) && id.exitValue() == 0) {
        return out.equals("0");
      }
    } catch (IOException e) {
      // fall back to the user name
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "root".equals(System.getProperty("user.name"));
  }

  private static String unprivilegedUser() {
    try {
      List<String> users =
          Files.readAllLines(Path.of("/etc/passwd")).stream()
              .map(line -> line.split(":", 2)[0])
              .toList();
      for (String candidate : List.of("postgres", "nobody")) {
        if (users.contains(candidate)) {
          return candidate;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // no user to run as
    }
    return null;
  }

  private static Path findExecutable(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(Arrays.asList(path.split(":")));
    }
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- starting

  /**
   * The JVM's shared server, started on first use and stopped when the JVM exits; every test class
   * should create its own database on it. Check {@link #available()} first (and skip the test when
   * it is false): this throws {@link IllegalStateException} when no server can be started, with
   * {@link #unavailableReason()} or the server log's last lines. A failed start is not retried.
   */
  public static synchronized PostgresServer instance() {
    if (shared != null && !shared.isClosed()) {
      return shared;
    }
    if (sharedFailure != null) {
      throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
    }
    try {
      shared = start().orElseThrow(() -> new IllegalStateException(unavailableReason()));
    } catch (RuntimeException e) {
      sharedFailure = e;
      throw e;
    }
    return shared;
  }

  /**
   * Starts a new server of its own (prefer {@link #instance()}), or returns empty when none can be
   * started on this machine ({@link #unavailableReason()} tells why). Throws {@link
   * IllegalStateException} with the log's last lines when the binaries are there but the server
   * does not start. The caller closes it.
   */
  public static Optional<PostgresServer> start() {
    Setup machine = setup();
    if (machine.reason() != null) {
      return Optional.empty();
    }
    Path tmp = tempRoot();
    reapAbandoned(machine, tmp);
    Path dir;
    try {
      dir = Files.createTempDirectory(tmp, DIR_PREFIX);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create a directory for PostgreSQL under " + tmp + ": " + e, e);
    }
    PostgresServer server = new PostgresServer(machine, dir);
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    try {
      server.boot();
      return Optional.of(server);
    } catch (IOException | RuntimeException e) {
      String tail = server.logTail(LOG_TAIL_LINES);
      server.close();
      throw new IllegalStateException(
          "PostgreSQL from "
              + machine.binDir()
              + " did not start: "
              + e.getMessage()
              + "\n--- last lines of "
              + server.log
              + " ---\n"
              + tail,
          e);
    }
  }

  private static Path tempRoot() {
    Path tmp = Path.of("/tmp");
    return Files.isDirectory(tmp) ? tmp : Path.of(System.getProperty("java.io.tmpdir"));
  }

  private void boot() throws IOException {
    writeOwner();
    Files.createDirectory(
        socketDir,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.createFile(log);
    if (machine.runAs() != null) {
      giveToServerUser();
    }
    initdb();
    configure();
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      long logStart = Files.size(log);
      int exit =
          run(
              serverCommand(
                  bin("pg_ctl"),
                  "-D",
                  dataDir.toString(),
                  "-l",
                  log.toString(),
                  "-w",
                  "-t",
                  "60",
                  "-o",
                  "-p " + port,
                  "start"),
              120);
      if (exit == 0) {
        break;
      }
      String attemptLog = logSince(logStart);
      boolean portTaken =
          attemptLog.contains("could not bind") || attemptLog.contains("Address already in use");
      stopServer("immediate");
      if (!portTaken || attempt == 3) {
        throw new IOException("pg_ctl start exited with " + exit);
      }
    }
    awaitConnections();
  }

  private void writeOwner() throws IOException {
    ProcessHandle self = ProcessHandle.current();
    long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    Files.writeString(dir.resolve("owner"), self.pid() + " " + started + "\n");
  }

  private void giveToServerUser() throws IOException {
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IOException(
            p + " is not traversable by " + machine.runAs() + ", who must run PostgreSQL");
      }
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    UserPrincipal owner =
        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(machine.runAs());
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) tree::iterator) {
        Files.setOwner(p, owner);
      }
    }
  }

  private void initdb() throws IOException {
    long logStart = Files.size(log);
    int exit = runInitdb("C.UTF-8");
    if (exit != 0
        && logSince(logStart).lines().anyMatch(l -> !l.startsWith("$ ") && l.contains("locale"))) {
      deleteTree(dataDir);
      exit = runInitdb("C");
    }
    if (exit != 0) {
      throw new IOException("initdb exited with " + exit);
    }
    // Trust only the Unix socket and 127.0.0.1 (initdb's file also trusts ::1 and replication).
    Files.writeString(
        dataDir.resolve("pg_hba.conf"),
        "# written by MineWatch's PostgresServer for tests\n"
            + "local all all trust\n"
            + "host  all all 127.0.0.1/32 trust\n",
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }

  private int runInitdb(String locale) throws IOException {
    return run(
        serverCommand(
            bin("initdb"),
            "-D",
            dataDir.toString(),
            "-U",
            USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=" + locale,
            "--no-sync"),
        180);
  }

  private void configure() throws IOException {
    String settings =
        "\n# MineWatch's PostgresServer: a throwaway server for tests\n"
            + "listen_addresses = '"
            + HOST
            + "'\n"
            + "unix_socket_directories = '"
            + socketDir.toString().replace("'", "''")
            + "'\n"
            + "max_connections = 200\n"
            + "fsync = off\n"
            + "synchronous_commit = off\n"
            + "full_page_writes = off\n";
    Files.writeString(dataDir.resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  private void awaitConnections() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String problem = "";
    while (System.nanoTime() < deadline) {
      if (portOpen()) {
        PsqlResult r = runPsql("postgres", "select 1");
        if (r.exit() == 0 && r.out().trim().equals("1")) {
          return;
        }
        problem = "psql: " + r.err().trim();
      } else {
        problem = "nothing listens on " + HOST + ":" + port;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for PostgreSQL", e);
      }
    }
    throw new IOException("PostgreSQL did not accept connections within 60 s (" + problem + ")");
  }

  private boolean portOpen() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- use

  /**
   * Creates a fresh, empty database and returns its JDBC URL ({@code
   * jdbc:postgresql://127.0.0.1:PORT/NAME}).
   */
  public String createDatabase() {
    checkOpen();
    String name = "mw_" + databases.incrementAndGet();
    psql("postgres", "CREATE DATABASE " + name);
    return jdbcUrl(name);
  }

  /** The JDBC URL of database {@code name} on this server. */
  public String jdbcUrl(String name) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + name;
  }

  /**
   * Runs {@code sql} with psql (unaligned, tuples only) in database {@code name} and returns its
   * output, trimmed; throws {@link IllegalStateException} with psql's errors when it fails.
   */
  public String psql(String name, String sql) {
    checkOpen();
    PsqlResult r;
    try {
      r = runPsql(name, sql);
    } catch (IOException e) {
      throw new UncheckedIOException("psql failed on " + name + ": " + sql, e);
    }
    if (r.exit() != 0) {
      throw new IllegalStateException(
          "psql exited with " + r.exit() + " on " + name + ": " + sql + "\n" + r.err().trim());
    }
    return r.out().trim();
  }

  /** The superuser the databases are reached as. */
  public String user() {
    return USER;
  }

  /** Its password; the server trusts local connections, so any password is accepted. */
  public String password() {
    return PASSWORD;
  }

  /** {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /**
   * {@code command} as the user the server runs as (through runuser when the JVM is root, since
   * initdb, pg_basebackup's files and postgres must belong to that user).
   */
  public List<String> asServerUser(String... command) {
    return serverCommand(machine, command);
  }

  /** The bin directory the server runs from (with psql, pg_dump and the other client tools). */
  public Path binDir() {
    return machine.binDir();
  }

  /**
   * The server's directory: data directory, socket directory and log; deleted by {@link #close()}.
   */
  public Path directory() {
    return dir;
  }

  public Path dataDirectory() {
    return dataDir;
  }

  /** The log of the server and of the commands run for it. */
  public Path logFile() {
    return log;
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  /** Stops the server ({@code pg_ctl stop -m fast}) and deletes its directory. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      stopServer("fast");
    } finally {
      deleteTree(dir);
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // closing from the hook itself, while the JVM shuts down
      }
    }
  }

  private void checkOpen() {
    if (isClosed()) {
      throw new IllegalStateException("the PostgreSQL server in " + dir + " is closed");
    }
  }

  @Override
  public String toString() {
    return "PostgresServer[" + HOST + ":" + port + ", " + dir + "]";
  }

  // ---------------------------------------------------------------- stopping

  private void stopServer(String mode) {
    stop(machine, dir, log, mode);
  }

  /**
   * Stops the server whose directory is {@code dir}, if one runs: pg_ctl, else signals to its
   * postmaster.
   */
  private static void stop(Setup machine, Path dir, Path log, String mode) {
    Path data = dir.resolve("data");
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    Optional<ProcessHandle> postmaster = postmaster(pidFile);
    try {
      run(
          machine,
          dir,
          log,
          serverCommand(
              machine,
              machine.binDir().resolve("pg_ctl").toString(),
              "-D",
              data.toString(),
              "-m",
              mode,
              "-w",
              "-t",
              "60",
              "stop"),
          90);
    } catch (IOException | RuntimeException e) {
      // fall back to signals below
    }
    postmaster
        .filter(ProcessHandle::isAlive)
        .ifPresent(
            p -> {
              p.destroy();
              try {
                p.onExit().get(15, TimeUnit.SECONDS);
              } catch (Exception e) {
                p.destroyForcibly();
              }
            });
  }

  private static Optional<ProcessHandle> postmaster(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile);
      long pid = Long.parseLong(lines.get(0).trim());
      return ProcessHandle.of(pid)
          .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Stops and deletes servers left in {@code tmp} by JVMs that died without running their hooks.
   */
  private static void reapAbandoned(Setup machine, Path tmp) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIR_PREFIX + "*")) {
      for (Path d : dirs) {
        Path owner = d.resolve("owner");
        if (Files.isRegularFile(owner) && !ownerAlive(owner)) {
          stop(machine, d, d.resolve("postgres.log"), "immediate");
          deleteTree(d);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }

  private static boolean ownerAlive(Path owner) {
    try {
      String[] f = Files.readString(owner).trim().split("\\s+");
      long pid = Long.parseLong(f[0]);
      long started = Long.parseLong(f[1]);
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      return p.isPresent()
          && (started < 0
              || p.get().info().startInstant().map(i -> i.toEpochMilli() == started).orElse(true));
    } catch (IOException | RuntimeException e) {
      return true; // unreadable: leave it alone
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(root)) {
      tree.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // best effort
    }
  }

  // ---------------------------------------------------------------- processes

  private String bin(String tool) {
    return machine.binDir().resolve(tool).toString();
  }

  private List<String> serverCommand(String... command) {
    return serverCommand(machine, command);
  }

  /** {@code command}, run as the unprivileged user when the JVM runs as root. */
  private static List<String> serverCommand(Setup machine, String... command) {
    List<String> full = new ArrayList<>();
    if (machine.runAs() != null) {
      full.addAll(List.of(machine.runuser().toString(), "-u", machine.runAs(), "--"));
    }
    full.addAll(Arrays.asList(command));
    return full;
  }

  private int run(List<String> command, int timeoutSeconds) throws IOException {
    return run(machine, dir, log, command, timeoutSeconds);
  }

  /**
   * Runs {@code command} in {@code dir}, its output appended to {@code log}; returns its exit
   * status.
   */
  private static int run(
      Setup machine, Path dir, Path log, List<String> command, int timeoutSeconds)
      throws IOException {
    boolean logged = Files.isRegularFile(log);
    if (logged) {
      Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardOpenOption.APPEND);
    }
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(
                logged
                    ? ProcessBuilder.Redirect.appendTo(log.toFile())
                    : ProcessBuilder.Redirect.DISCARD);
    cleanEnvironment(pb.environment());
    Process p = pb.start();
    return await(p, command, timeoutSeconds);
  }

  private record PsqlResult(int exit, String out, String err) {}

  private PsqlResult runPsql(String name, String sql) throws IOException {
    Path out = Files.createTempFile(dir, "psql-", ".out");
    Path err = Files.createTempFile(dir, "psql-", ".err");
    try {
      List<String> command =
          List.of(
              bin("psql"),
              "-X",
              "-w",
              "-q",
              "-v",
              "ON_ERROR_STOP=1",
              "-h",
              HOST,
              "-p",
              Integer.toString(port),
              "-U",
              USER,
              "-d",
              name,
              "-t",
              "-A",
              "-c",
              sql);
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      cleanEnvironment(pb.environment());
      pb.environment().put("PGCONNECT_TIMEOUT", "10");
      int exit = await(pb.start(), command, 120);
      return new PsqlResult(exit, Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static void cleanEnvironment(Map<String, String> env) {
    env.keySet().removeIf(k -> k.startsWith("PG"));
  }

  private static int await(Process p, List<String> command, int timeoutSeconds) throws IOException {
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(
            "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }

  private String logSince(long offset) {
    try {
      byte[] all = Files.readAllBytes(log);
      int from = (int) Math.min(offset, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private String logTail(int lines) {
    try {
      List<String> all =
          Arrays.asList(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
