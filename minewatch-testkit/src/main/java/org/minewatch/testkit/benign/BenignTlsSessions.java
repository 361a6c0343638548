package org.minewatch.testkit.benign;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.minewatch.testkit.LoopbackCapture;
import org.minewatch.testkit.Openssl;
import org.minewatch.testkit.PostgresServer;

/**
 * Records real benign TLS sessions of Debian software on loopback: the Mosquitto MQTT broker with
 * Debian's {@code mosquitto_pub}/{@code mosquitto_sub}, Redis with {@code redis-cli} or a replica
 * of its own, PostgreSQL with {@code psql}, and rsyslog forwarding over RELP to another rsyslog,
 * each session against its own server, captured by {@code tcpdump} into its own file. These are the
 * hard negatives of the behaviour model, recorded rather than generated: small messages at
 * intervals, answered at once or pushed by the server, as a miner's shares and jobs are. The client
 * programs are the real ones; only when they speak (intervals, message sizes) is drawn here from a
 * seed, so that a run covers telemetry, polling, pub/sub and keep-alive shapes.
 *
 * <pre>
 * java -cp minewatch-testkit/target/classes org.minewatch.testkit.benign.BenignTlsSessions OUT_DIR SECONDS SEED \
 *     [COUNT [WORKLOAD,...]]
 * </pre>
 */
public final class BenignTlsSessions {
  /** The workloads; each session is one of them under its own drawn conditions. */
  public static final List<String> WORKLOADS =
      List.of(
          "mqtt-telemetry",
          "mqtt-subscriber",
          "mqtt-idle",
          "redis-poll",
          "redis-subscriber",
          "redis-queue",
          "postgres-poll",
          "postgres-listen",
          "rsyslog-relp",
          "redis-replica",
          "postgres-replica");

  private static final String[] TOOLS = {
    "/usr/sbin/tcpdump",
    "/usr/bin/tcpdump",
    "/usr/sbin/mosquitto",
    "/usr/bin/mosquitto_pub",
    "/usr/bin/mosquitto_sub",
    "/usr/bin/redis-server",
    "/usr/bin/redis-cli",
    "/usr/sbin/rsyslogd",
    "/usr/bin/logger"
  };

  /** Where Debian's rsyslog keeps its modules (rsyslog-relp adds imrelp and omrelp). */
  private static final List<Path> RSYSLOG_MODULES =
      List.of(
          Path.of("/usr/lib/x86_64-linux-gnu/rsyslog"),
          Path.of("/usr/lib/aarch64-linux-gnu/rsyslog"));

  private BenignTlsSessions() {}

  /**
   * Why sessions of every workload cannot be recorded here (a tool missing, or not root for
   * tcpdump), or null if they can.
   */
  public static String unavailableReason() {
    return unavailableReason(WORKLOADS);
  }

  /**
   * Why sessions of these workloads cannot be recorded here (a tool or rsyslog module missing, or
   * not root for tcpdump), or null if they can.
   */
  public static String unavailableReason(List<String> workloads) {
    List<String> needed = new ArrayList<>(List.of("tcpdump"));
    List<String> packages = new ArrayList<>(List.of("tcpdump"));
    for (String w : workloads) {
      if (w.startsWith("mqtt-")) {
        needed.addAll(List.of("mosquitto", "mosquitto_pub", "mosquitto_sub"));
        packages.addAll(List.of("mosquitto", "mosquitto-clients"));
      } else if (w.startsWith("redis-")) {
        needed.addAll(List.of("redis-server", "redis-cli"));
        packages.add("redis-server");
      } else if (w.startsWith("rsyslog-")) {
        needed.addAll(List.of("rsyslogd", "logger"));
        packages.addAll(List.of("rsyslog", "rsyslog-relp"));
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : needed.stream().distinct().toList()) {
      boolean found = false;
      for (String t : TOOLS) {
        if (t.endsWith("/" + name) && Files.isExecutable(Path.of(t))) {
          found = true;
        }
      }
      if (!found) {
        missing.add(name);
      }
    }
    if (workloads.stream().anyMatch(w -> w.startsWith("rsyslog-")) && rsyslogModules() == null) {
      missing.add("rsyslog's imrelp and omrelp modules");
    }
    if (!missing.isEmpty()) {
      return "missing "
          + String.join(", ", missing)
          + " (Debian packages "
          + String.join(", ", packages.stream().distinct().toList())
          + ")";
    }
    if (!Openssl.available()) {
      return "openssl is missing";
    }
    if (workloads.stream().anyMatch(w -> w.startsWith("postgres-"))
        && PostgresServer.unavailableReason() != null) {
      return "PostgreSQL: " + PostgresServer.unavailableReason();
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return "tcpdump needs root to capture on loopback";
    }
    return null;
  }

  /** The directory of rsyslog's modules if it has the RELP ones, else null. */
  private static Path rsyslogModules() {
    for (Path d : RSYSLOG_MODULES) {
      if (Files.exists(d.resolve("imrelp.so")) && Files.exists(d.resolve("omrelp.so"))) {
        return d;
      }
    }
    return null;
  }

  /** One recorded session: its capture and how it was driven. */
  public record Session(String workload, Path capture, String conditions) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: BenignTlsSessions OUT_DIR SECONDS SEED [COUNT [WORKLOAD,...]]");
      System.exit(2);
    }
    int count = args.length > 3 ? Integer.parseInt(args[3]) : WORKLOADS.size() * 2;
    List<String> workloads = args.length > 4 ? List.of(args[4].split(",")) : WORKLOADS;
    String reason = unavailableReason(workloads);
    if (reason != null) {
      System.err.println("cannot record: " + reason);
      System.exit(1);
    }
    for (Session s :
        record(
            Path.of(args[0]),
            Integer.parseInt(args[1]),
            Long.parseLong(args[2]),
            count,
            workloads)) {
      System.out.println(s.capture().getFileName() + "\t" + s.workload() + "\t" + s.conditions());
    }
  }

  /**
   * Records {@code count} sessions at once, each {@code seconds} long (the {@code workloads} in
   * turn), into {@code out}: {@code benign_WORKLOAD_N.pcap} each. Servers, certificates and logs
   * live in a temporary directory removed afterwards.
   */
  public static List<Session> record(
      Path out, int seconds, long seed, int count, List<String> workloads)
      throws IOException, InterruptedException {
    for (String w : workloads) {
      if (!WORKLOADS.contains(w)) {
        throw new IllegalArgumentException("no workload " + w + "; there are " + WORKLOADS);
      }
    }
    Files.createDirectories(out);
    Path work = Files.createTempDirectory("minewatch-benign");
    Openssl.selfSigned(work);
    // Mosquitto started as root drops to its own user, which must read the throwaway certificate
    // and key.
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String f : List.of("cert.pem", "key.pem")) {
      Files.setPosixFilePermissions(work.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
    }
    Random random = new Random(seed);
    List<Running> running = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        String workload = workloads.get(i % workloads.size());
        Path dir = Files.createDirectory(work.resolve("s" + i));
        Path capture =
            out.resolve(String.format(Locale.ROOT, "benign_%s_%d_%02d.pcap", workload, seed, i));
        running.add(start(workload, dir, work, capture, new Random(random.nextLong())));
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        for (Running r : running) {
          r.tick(now);
        }
        Thread.sleep(20);
      }
    } finally {
      for (Running r : running) {
        r.stopClients();
      }
      // Let the last segments (FIN, close_notify) reach the capture before it stops.
      Thread.sleep(500);
      for (Running r : running) {
        r.stopCaptureAndServers();
      }
      deleteTree(work);
    }
    List<Session> sessions = new ArrayList<>();
    for (Running r : running) {
      sessions.add(new Session(r.workload, r.capture, r.conditions));
    }
    return sessions;
  }

  // ------------------------------------------------------------------ one session

  /** A session's processes and its schedule of client lines or server-side events. */
  private static final class Running {
    final String workload;
    final Path capture;
    String conditions;
    final List<Process> servers = new ArrayList<>();
    PostgresServer postgres;
    Process tcpdump;
    final List<Process> clients = new ArrayList<>();

    /** What stops a client that is not one process of ours (a standby server). */
    final List<Event> clientStops = new ArrayList<>();

    /** Where the timed lines go (a client's standard input), and what produces them. */
    OutputStream lines;

    Schedule schedule;
    Event event;
    long next;

    Running(String workload, Path capture) {
      this.workload = workload;
      this.capture = capture;
    }

    /** Each event writes the line {@code next} gives to {@code client}'s standard input. */
    void describe(String format, Object... args) {
      conditions = String.format(Locale.ROOT, format, args);
    }

    void feed(Process client, java.util.function.Supplier<String> next) {
      lines = client.getOutputStream();
      event = () -> line(lines, next.get());
    }

    void tick(long now) throws IOException {
      if (schedule == null || now < next) {
        return;
      }
      event.fire();
      next = now + schedule.nextGapNanos();
    }

    void stopClients() {
      for (Event stop : clientStops) {
        try {
          stop.fire();
        } catch (IOException e) {
          System.err.println(capture.getFileName() + ": " + e.getMessage());
        }
      }
      for (Process p : clients) {
        p.destroy();
      }
      for (Process p : clients) {
        waitFor(p);
      }
    }

    void stopCaptureAndServers() {
      if (tcpdump != null) {
        tcpdump.destroy();
        waitFor(tcpdump);
      }
      for (Process p : servers) {
        p.destroy();
        waitFor(p);
      }
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  @FunctionalInterface
  private interface Event {
    void fire() throws IOException;
  }

  /** Gaps between events: regular with jitter (a timer), or exponential (people, queues). */
  private record Schedule(Random random, double meanSeconds, boolean poisson) {
    long nextGapNanos() {
      double s =
          poisson
              ? -Math.log(1 - random.nextDouble()) * meanSeconds
              : meanSeconds * (0.9 + 0.2 * random.nextDouble());
      return (long) (Math.max(0.05, s) * 1e9);
    }

    String describe() {
      return String.format(
          Locale.ROOT, "%s every %.1f s", poisson ? "random" : "timer", meanSeconds);
    }
  }

  private static Running start(String workload, Path dir, Path certs, Path capture, Random r)
      throws IOException, InterruptedException {
    Running s = new Running(workload, capture);
    try {
      startSession(s, workload, dir, certs, capture, r);
      return s;
    } catch (IOException | InterruptedException | RuntimeException e) {
      // What had started (the capture, a server, a standby) stops with the failed session.
      s.stopClients();
      s.stopCaptureAndServers();
      throw e;
    }
  }

  private static void startSession(
      Running s, String workload, Path dir, Path certs, Path capture, Random r)
      throws IOException, InterruptedException {
    int tlsPort = freePort();
    int plainPort = freePort();
    boolean tls12 = r.nextInt(3) == 0;
    double mean = Math.exp(Math.log(1) + r.nextDouble() * Math.log(40)); // 1-40 s, log-uniform
    boolean poisson = r.nextBoolean();
    s.schedule = new Schedule(r, mean, poisson);
    String cert = certs.resolve("cert.pem").toString();
    String key = certs.resolve("key.pem").toString();
    if (workload.startsWith("postgres-")) {
      // PostgreSQL picks its own port: it is known only once the server runs.
      s.postgres =
          PostgresServer.start()
              .orElseThrow(() -> new IOException(PostgresServer.unavailableReason()));
      tlsPort = s.postgres.port();
    }
    s.tcpdump = startCapture(capture, tlsPort, dir);
    String tls = tls12 ? "TLS 1.2" : "TLS 1.3";
    if (workload.startsWith("postgres-")) {
      startPostgres(s, dir, certs, tlsPort, tls, r);
    } else if (workload.startsWith("rsyslog-")) {
      startRsyslog(s, dir, certs, tlsPort, tls, r);
    } else if (workload.startsWith("mqtt-")) {
      Files.writeString(
          dir.resolve("mosquitto.conf"),
          "per_listener_settings false\nallow_anonymous true\n"
              + "persistence false\nlog_dest stderr\n"
              + "listener "
              + plainPort
              + " 127.0.0.1\n"
              + "listener "
              + tlsPort
              + " 127.0.0.1\ncertfile "
              + cert
              + "\nkeyfile "
              + key
              + "\n");
      s.servers.add(
          startLogged(
              dir,
              "mosquitto",
              "/usr/sbin/mosquitto",
              "-c",
              dir.resolve("mosquitto.conf").toString()));
      awaitPort(tlsPort, s.servers.get(0), dir.resolve("mosquitto.log"));
      int keepalive = 10 + r.nextInt(111);
      int qos = r.nextInt(2);
      List<String> tlsArgs =
          new ArrayList<>(
              List.of(
                  "-h",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(tlsPort),
                  "--cafile",
                  cert,
                  "-k",
                  Integer.toString(keepalive),
                  "-q",
                  Integer.toString(qos)));
      if (tls12) {
        tlsArgs.addAll(List.of("--tls-version", "tlsv1.2"));
      }
      String topic = "site/" + r.nextInt(100) + "/meter";
      switch (workload) {
        case "mqtt-telemetry" -> {
          Process pub =
              startLogged(
                  dir,
                  "pub",
                  concat(List.of("/usr/bin/mosquitto_pub", "-l", "-t", topic), tlsArgs));
          s.clients.add(pub);
          int size = 20 + r.nextInt(400);
          s.feed(pub, () -> payload(r, size, 0.3));
          s.describe(
              "%s, QoS %d, keepalive %d s, a %d-byte reading %s",
              tls, qos, keepalive, size, s.schedule.describe());
        }
        case "mqtt-subscriber" -> {
          s.clients.add(
              startLogged(
                  dir, "sub", concat(List.of("/usr/bin/mosquitto_sub", "-t", topic), tlsArgs)));
          Process pub =
              startLogged(
                  dir,
                  "pub",
                  "/usr/bin/mosquitto_pub",
                  "-l",
                  "-h",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(plainPort),
                  "-t",
                  topic,
                  "-q",
                  Integer.toString(qos));
          s.clients.add(pub);
          int size = 30 + r.nextInt(1500);
          s.feed(pub, () -> payload(r, size, 0.5));
          s.describe(
              "%s, QoS %d, keepalive %d s, ~%d-byte messages pushed %s",
              tls, qos, keepalive, size, s.schedule.describe());
        }
        default -> { // mqtt-idle: a subscriber on a quiet topic; only its keep-alives and rare
          // messages
          s.clients.add(
              startLogged(
                  dir, "sub", concat(List.of("/usr/bin/mosquitto_sub", "-t", topic), tlsArgs)));
          Process pub =
              startLogged(
                  dir,
                  "pub",
                  "/usr/bin/mosquitto_pub",
                  "-l",
                  "-h",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(plainPort),
                  "-t",
                  topic);
          s.clients.add(pub);
          s.lines = pub.getOutputStream();
          s.schedule = new Schedule(r, 60 + r.nextInt(240), true);
          s.event = () -> line(s.lines, payload(r, 80, 0.5));
          s.describe("%s, keepalive %d s, a message %s", tls, keepalive, s.schedule.describe());
        }
      }
    } else {
      List<String> server =
          new ArrayList<>(
              List.of(
                  "/usr/bin/redis-server",
                  "--bind",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(plainPort),
                  "--tls-port",
                  Integer.toString(tlsPort),
                  "--tls-cert-file",
                  cert,
                  "--tls-key-file",
                  key,
                  "--tls-ca-cert-file",
                  cert,
                  "--tls-auth-clients",
                  "no",
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--dir",
                  dir.toString()));
      if (tls12) {
        server.addAll(List.of("--tls-protocols", "TLSv1.2"));
      }
      s.servers.add(startLogged(dir, "redis", server.toArray(String[]::new)));
      awaitPort(tlsPort, s.servers.get(0), dir.resolve("redis.log"));
      List<String> cli =
          List.of(
              "/usr/bin/redis-cli",
              "--tls",
              "--cacert",
              cert,
              "-h",
              "127.0.0.1",
              "-p",
              Integer.toString(tlsPort));
      String plain = Integer.toString(plainPort);
      switch (workload) {
        case "redis-poll" -> {
          Process c = startLogged(dir, "cli", cli.toArray(String[]::new));
          s.clients.add(c);
          s.lines = c.getOutputStream();
          int size = 10 + r.nextInt(2000);
          runQuietly(dir, "/usr/bin/redis-cli", "-p", plain, "SET", "state", payload(r, size, 0));
          String[] commands = {
            "GET state", "INCR hits", "HSET h f " + payload(r, 16, 0), "EXISTS state", "GET state"
          };
          s.event = () -> line(s.lines, commands[r.nextInt(commands.length)]);
          s.describe(
              "%s, GET of a %d-byte value and small commands %s", tls, size, s.schedule.describe());
        }
        case "redis-replica" -> {
          // A replica following this master over TLS: each write the producer makes on the
          // plain port is pushed down the replication link at once; the replica acknowledges
          // its offset every second and the master pings every 10 s.
          Path replicaDir = Files.createDirectory(dir.resolve("replica"));
          List<String> replica =
              new ArrayList<>(
                  List.of(
                      "/usr/bin/redis-server",
                      "--bind",
                      "127.0.0.1",
                      "--port",
                      Integer.toString(freePort()),
                      "--replicaof",
                      "127.0.0.1",
                      Integer.toString(tlsPort),
                      "--tls-replication",
                      "yes",
                      "--tls-cert-file",
                      cert,
                      "--tls-key-file",
                      key,
                      "--tls-ca-cert-file",
                      cert,
                      "--save",
                      "",
                      "--appendonly",
                      "no",
                      "--dir",
                      replicaDir.toString()));
          if (tls12) {
            replica.addAll(List.of("--tls-protocols", "TLSv1.2"));
          }
          s.clients.add(startLogged(dir, "replica", replica));
          Process producer = startLogged(dir, "producer", "/usr/bin/redis-cli", "-p", plain);
          s.clients.add(producer);
          s.lines = producer.getOutputStream();
          int size = 20 + r.nextInt(1500);
          int keys = 1 + r.nextInt(1000);
          s.event =
              () ->
                  line(
                      s.lines,
                      switch (r.nextInt(4)) {
                        case 0 -> "INCR counter";
                        case 1 -> "RPUSH log " + payload(r, size, 0.5);
                        default -> "SET key:" + r.nextInt(keys) + " " + payload(r, size, 0.5);
                      });
          s.describe(
              "%s, ~%d-byte writes on the master %s, pushed to the replica",
              tls, size, s.schedule.describe());
        }
        case "redis-subscriber" -> {
          s.clients.add(startLogged(dir, "sub", concat(cli, List.of("SUBSCRIBE", "events"))));
          Process pub = startLogged(dir, "pub", "/usr/bin/redis-cli", "-p", plain);
          s.clients.add(pub);
          int size = 20 + r.nextInt(1500);
          s.feed(pub, () -> "PUBLISH events " + payload(r, size, 0.5));
          s.describe("%s, ~%d-byte messages pushed %s", tls, size, s.schedule.describe());
        }
        default -> { // redis-queue: a worker blocking on a queue, fed by a producer
          Process c = startLogged(dir, "cli", cli.toArray(String[]::new));
          s.clients.add(c);
          Process producer = startLogged(dir, "producer", "/usr/bin/redis-cli", "-p", plain);
          s.clients.add(producer);
          s.lines = producer.getOutputStream();
          int timeout = 1 + r.nextInt(30);
          int size = 20 + r.nextInt(600);
          OutputStream worker = c.getOutputStream();
          // The worker waits on the queue; each BLPOP returns a job or times out, and it asks
          // again.
          for (int i = 0; i < 2000; i++) {
            line(worker, "BLPOP jobs " + timeout);
          }
          s.event = () -> line(s.lines, "RPUSH jobs " + payload(r, size, 0.3));
          s.describe(
              "%s, BLPOP with a %d s timeout, ~%d-byte jobs %s",
              tls, timeout, size, s.schedule.describe());
        }
      }
    }
    s.next = System.nanoTime() + s.schedule.nextGapNanos();
  }

  /**
   * Two rsyslog daemons of their own (never the system's): a sender that takes the lines {@code
   * logger} writes to its Unix socket and forwards each over RELP with TLS ({@code omrelp}) to a
   * receiver ({@code imrelp}), which answers every message with a small RELP {@code rsp}: a client
   * submitting at drawn times, each answered at once, as a miner's shares are.
   */
  private static void startRsyslog(Running s, Path dir, Path certs, int port, String tls, Random r)
      throws IOException, InterruptedException {
    Path modules = rsyslogModules();
    if (modules == null) {
      throw new IOException("rsyslog's imrelp and omrelp modules are missing (rsyslog-relp)");
    }
    String cert = certs.resolve("cert.pem").toString();
    String key = certs.resolve("key.pem").toString();
    // librelp does TLS itself (OpenSSL here); a TLS 1.2 session is capped by the receiver.
    String cap = tls.equals("TLS 1.2") ? " tls.tlscfgcmd=\"MaxProtocol=TLSv1.2\"" : "";
    Path receiver = Files.createDirectory(dir.resolve("receiver"));
    Process receiving =
        startRsyslogd(
            dir,
            "receiver",
            receiver,
            String.format(
                Locale.ROOT,
                "global(workDirectory=\"%s\")%n"
                    + "module(load=\"%s/imrelp.so\" tls.tlslib=\"openssl\")%n"
                    + "input(type=\"imrelp\" address=\"127.0.0.1\" port=\"%d\" tls=\"on\""
                    + " tls.cacert=\"%s\" tls.mycert=\"%s\" tls.myprivkey=\"%s\"%s)%n"
                    + "*.* action(type=\"omfile\" file=\"%s\")%n",
                receiver,
                modules,
                port,
                cert,
                cert,
                key,
                cap,
                receiver.resolve("received.log")));
    s.servers.add(receiving);
    awaitPort(port, receiving, dir.resolve("receiver.log"));
    Path sender = Files.createDirectory(dir.resolve("sender"));
    Path socket = sender.resolve("log.sock");
    Process forwarder =
        startRsyslogd(
            dir,
            "sender",
            sender,
            String.format(
                Locale.ROOT,
                "global(workDirectory=\"%s\")%n"
                    + "module(load=\"%s/imuxsock.so\" SysSock.Use=\"off\")%n"
                    + "input(type=\"imuxsock\" Socket=\"%s\")%n"
                    + "module(load=\"%s/omrelp.so\" tls.tlslib=\"openssl\")%n"
                    + "*.* action(type=\"omrelp\" target=\"127.0.0.1\" port=\"%d\" tls=\"on\""
                    + " tls.cacert=\"%s\")%n",
                sender,
                modules,
                socket,
                modules,
                port,
                cert));
    s.clients.add(forwarder);
    awaitFile(socket, forwarder, dir.resolve("sender.log"));
    // logger opens the socket once and sends each line of its standard input as one message.
    Process logger =
        startLogged(dir, "logger", "/usr/bin/logger", "-u", socket.toString(), "-t", "app");
    s.clients.add(0, logger);
    int size = 20 + r.nextInt(600);
    s.feed(logger, () -> payload(r, size, 0.5));
    s.describe(
        "%s, ~%d-byte log lines %s, each answered by a RELP rsp", tls, size, s.schedule.describe());
  }

  /**
   * An rsyslogd of the recorder's own, in the foreground: {@code config} in {@code dir/NAME.conf},
   * its output in {@code dir/NAME.log}, its pid file in {@code work}; never the system's.
   */
  private static Process startRsyslogd(Path dir, String name, Path work, String config)
      throws IOException {
    Path conf = dir.resolve(name + ".conf");
    Files.writeString(conf, config);
    return startLogged(
        dir,
        name,
        "/usr/sbin/rsyslogd",
        "-n",
        "-f",
        conf.toString(),
        "-i",
        work.resolve("rsyslogd.pid").toString());
  }

  /**
   * PostgreSQL with TLS switched on, and {@code psql} connecting with {@code sslmode=require}: an
   * application polling with small queries of varied answers, or one listening for notifications
   * another sends.
   */
  private static void startPostgres(Running s, Path dir, Path certs, int port, String tls, Random r)
      throws IOException, InterruptedException {
    PostgresServer pg = s.postgres;
    Path data = pg.dataDirectory();
    UserPrincipal owner = Files.getOwner(data);
    Files.copy(certs.resolve("cert.pem"), data.resolve("server.crt"));
    Files.copy(certs.resolve("key.pem"), data.resolve("server.key"));
    for (String f : List.of("server.crt", "server.key")) {
      Files.setOwner(data.resolve(f), owner);
      Files.setPosixFilePermissions(data.resolve(f), PosixFilePermissions.fromString("rw-------"));
    }
    pg.psql("postgres", "ALTER SYSTEM SET ssl = on");
    if (tls.equals("TLS 1.2")) {
      pg.psql("postgres", "ALTER SYSTEM SET ssl_max_protocol_version = 'TLSv1.2'");
    }
    pg.psql("postgres", "SELECT pg_reload_conf()");
    String psql = pg.binDir().resolve("psql").toString();
    if (s.workload.equals("postgres-replica")) {
      startStandby(s, dir, port, tls, r);
      return;
    }
    String conninfo =
        "host=127.0.0.1 port=" + port + " user=" + pg.user() + " dbname=postgres sslmode=require";
    Process c = startLogged(dir, "psql", psql, "-X", "-q", conninfo);
    s.clients.add(c);
    if (s.workload.equals("postgres-poll")) {
      s.lines = c.getOutputStream();
      String[] queries = {
        "SELECT now();",
        "SELECT count(*) FROM pg_stat_activity;",
        "SELECT name, setting FROM pg_settings LIMIT " + (1 + r.nextInt(40)) + ";",
        "SELECT pg_database_size('postgres');",
        "SELECT 1;",
        "SELECT relname, n_live_tup FROM pg_stat_user_tables;"
      };
      s.event = () -> line(s.lines, queries[r.nextInt(queries.length)]);
      s.describe("%s, psql polling with small queries %s", tls, s.schedule.describe());
    } else {
      line(c.getOutputStream(), "LISTEN events;");
      // The sender talks over the Unix socket: only the listener's TLS connection is captured.
      Process sender =
          startLogged(
              dir,
              "notify",
              psql,
              "-X",
              "-q",
              "-h",
              pg.directory().resolve("socket").toString(),
              "-p",
              Integer.toString(port),
              "-U",
              pg.user(),
              "postgres");
      s.clients.add(sender);
      int size = 10 + r.nextInt(500);
      s.feed(sender, () -> "NOTIFY events, '" + payload(r, size, 0.5) + "';");
      s.describe("%s, psql listening, ~%d-byte notifications %s", tls, size, s.schedule.describe());
    }
  }

  /**
   * A hot standby streaming from the session's server over TLS: its base backup is taken over the
   * Unix socket (only the replication connection is captured), then a psql on the Unix socket
   * writes at the drawn times, and each commit's WAL is pushed to the standby, which reports its
   * positions back (on each write, and every 10 s).
   */
  private static void startStandby(Running s, Path dir, int port, String tls, Random r)
      throws IOException, InterruptedException {
    PostgresServer pg = s.postgres;
    Path data = pg.dataDirectory();
    Files.writeString(
        data.resolve("pg_hba.conf"),
        "local replication all trust\nhost replication all 127.0.0.1/32 trust\n",
        java.nio.file.StandardOpenOption.APPEND);
    pg.psql("postgres", "SELECT pg_reload_conf()");
    pg.psql("postgres", "CREATE TABLE events (id serial PRIMARY KEY, at timestamptz, body text)");
    String socketDir = pg.directory().resolve("socket").toString();
    Path standby = pg.directory().resolve("standby");
    runAsServer(
        pg,
        dir,
        "basebackup",
        pg.binDir().resolve("pg_basebackup").toString(),
        "-D",
        standby.toString(),
        "-h",
        socketDir,
        "-p",
        Integer.toString(port),
        "-U",
        pg.user(),
        "-X",
        "stream",
        "-R");
    // Later lines win: the standby streams from the TLS port, listens on a port of its own.
    Files.writeString(
        standby.resolve("postgresql.auto.conf"),
        String.format(
            Locale.ROOT,
            "primary_conninfo = 'host=127.0.0.1 port=%d user=%s sslmode=require'%n"
                + "port = %d%nhot_standby = on%n",
            port,
            pg.user(),
            freePort()),
        java.nio.file.StandardOpenOption.APPEND);
    String pgCtl = pg.binDir().resolve("pg_ctl").toString();
    // The stop is registered first: pg_ctl detaches the standby, which a start that fails or
    // times out half-way would otherwise leave running.
    s.clientStops.add(
        () -> {
          try {
            runAsServer(
                pg, dir, "standby-stop", pgCtl, "-D", standby.toString(), "-m", "fast", "stop");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    runAsServer(
        pg,
        dir,
        "standby",
        pgCtl,
        "-D",
        standby.toString(),
        "-l",
        standby.resolve("standby.log").toString(),
        "-w",
        "-t",
        "60",
        "start");
    Process writer =
        startLogged(
            dir,
            "writer",
            pg.binDir().resolve("psql").toString(),
            "-X",
            "-q",
            "-h",
            socketDir,
            "-p",
            Integer.toString(port),
            "-U",
            pg.user(),
            "postgres");
    s.clients.add(writer);
    s.lines = writer.getOutputStream();
    int size = 10 + r.nextInt(1000);
    s.event =
        () ->
            line(
                s.lines,
                r.nextInt(4) == 0
                    ? "UPDATE events SET at = now() WHERE id = (SELECT max(id) FROM events);"
                    : "INSERT INTO events (at, body) VALUES (now(), '"
                        + payload(r, size, 0.5)
                        + "');");
    s.describe(
        "%s, a standby streaming WAL, ~%d-byte rows written %s", tls, size, s.schedule.describe());
  }

  /** Runs a PostgreSQL tool as the server's user, its output in {@code dir/NAME.log}. */
  private static void runAsServer(PostgresServer pg, Path dir, String name, String... command)
      throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".log");
    Process p =
        new ProcessBuilder(pg.asServerUser(command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(
          String.join(" ", command) + " did not finish in 120 s: " + Files.readString(log).trim());
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command)
              + " exited with status "
              + p.exitValue()
              + ": "
              + Files.readString(log).trim());
    }
  }

  // ------------------------------------------------------------------ helpers

  private static Process startCapture(Path capture, int port, Path dir)
      throws IOException, InterruptedException {
    return LoopbackCapture.start(capture, "tcp port " + port, dir.resolve("tcpdump.log"));
  }

  private static Process startLogged(Path dir, String name, String... command) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile())
        .start();
  }

  private static Process startLogged(Path dir, String name, List<String> command)
      throws IOException {
    return startLogged(dir, name, command.toArray(String[]::new));
  }

  private static void runQuietly(Path dir, String... command)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed in " + dir);
    }
  }

  private static void awaitPort(int port, Process server, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IOException("server exited: " + (Files.exists(log) ? Files.readString(log) : ""));
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IOException("nothing listened on port " + port + " within 10 s");
  }

  private static void awaitFile(Path file, Process owner, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        return;
      }
      if (!owner.isAlive()) {
        throw new IOException(
            log.getFileName()
                + ": the process exited before "
                + file.getFileName()
                + " appeared: "
                + (Files.exists(log) ? Files.readString(log).trim() : "(no output)"));
      }
      Thread.sleep(50);
    }
    throw new IOException(file + " did not appear within 10 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void line(OutputStream out, String text) throws IOException {
    out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** A printable payload of about {@code size} bytes, varying by up to {@code spread} of it. */
  private static String payload(Random r, int size, double spread) {
    int n = Math.max(1, (int) Math.round(size * (1 - spread / 2 + spread * r.nextDouble())));
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('a' + r.nextInt(26)));
    }
    return b.toString();
  }

  private static void waitFor(Process p) {
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
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
