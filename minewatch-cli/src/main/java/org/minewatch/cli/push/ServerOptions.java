package org.minewatch.cli.push;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --server URL --token T --spool DIR --retry-for DURATION}: the options of every command
 * that sends findings to a MineWatch server (picocli mixin of {@code scan}, {@code watch}, {@code
 * collect} and {@code push}).
 */
public final class ServerOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Send the findings to this MineWatch server "
              + "(minewatch serve): spooled on disk first, sent in batches, retried "
              + "while the server is away.")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:MINEWATCH_TOKEN}",
      description =
          "The bearer token for --server (default: the environment variable MINEWATCH_TOKEN, which keeps it "
              + "off the command line and out of the process list).")
  String token;

  @Option(
      names = "--spool",
      paramLabel = "DIR",
      description =
          "Where findings wait until the server has them "
              + "(default: $MINEWATCH_HOME/spool, i.e. ~/.minewatch/spool). One process at a time; a refused batch is kept "
              + "in DIR/rejected.")
  Path spool;

  @Option(
      names = "--retry-for",
      paramLabel = "DURATION",
      converter = Durations.class,
      description =
          "Once the work is done, give up after the server has been away this long (e.g. 90s, 5m); what "
              + "is left stays in the spool for the next run (default: 60s for push and scan, 10s at the stop of watch "
              + "and collect, which retry without end while they run).")
  Duration retryFor;

  /** True if findings are to be sent. */
  public boolean enabled() {
    return server != null;
  }

  public Duration retryFor(Duration defaultValue) {
    return retryFor != null ? retryFor : defaultValue;
  }

  /** {@code $MINEWATCH_HOME/spool}, default {@code ~/.minewatch/spool}. */
  public static Path defaultSpool() {
    String home = System.getenv("MINEWATCH_HOME");
    Path base =
        home != null && !home.isBlank()
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".minewatch");
    return base.resolve("spool");
  }

  public Path spoolDirectory() {
    return spool != null ? spool : defaultSpool();
  }

  /** Null if the options are usable, else why not. */
  public String problem() {
    if (server == null) {
      return spool != null || retryFor != null ? "--spool and --retry-for need --server URL" : null;
    }
    try {
      serverUri();
    } catch (IllegalArgumentException e) {
      return "--server " + server + ": " + e.getMessage();
    }
    if (token == null || token.isBlank()) {
      return "--server needs a token: --token TOKEN, or the environment variable MINEWATCH_TOKEN";
    }
    if (!token.strip().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return "the token holds spaces, control or non-ASCII characters: it cannot go in an HTTP header";
    }
    return null;
  }

  /** The token, without the surrounding white space a file or a variable may add. */
  String token() {
    return token.strip();
  }

  /** The server's base URL, without a trailing slash. */
  public URI serverUri() {
    URI uri;
    try {
      uri = new URI(server.strip().replaceAll("/+$", ""));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException("expected http(s)://HOST[:PORT][/PATH]");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException("a query or fragment has no place in the server's URL");
    }
    return uri;
  }

  /** A warning if the token would cross a network unencrypted; null if not. */
  String cleartextWarning() {
    URI uri = serverUri();
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      return null;
    }
    try {
      if (InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
        return null;
      }
    } catch (UnknownHostException e) {
      // warn: the name may resolve to anything later
    }
    return "warning: --server "
        + uri
        + " is plain http: the token and the findings cross the network unencrypted "
        + "(use https)";
  }

  /**
   * Checks the options, opens and locks the spool, and starts sending (what an earlier run left
   * first) on a thread of its own. Null, with the reason on {@code err}, if that cannot be done.
   *
   * @param command the command's name, for messages
   * @param retryForDefault how long to keep trying once the work is done, unless {@code
   *     --retry-for} says
   */
  public Delivery open(String command, PrintStream err, Duration retryForDefault, boolean quiet) {
    Spool s = openSpool(command, err, false);
    if (s == null) {
      return null;
    }
    FindingSender sender =
        new FindingSender(
            new PushClient(serverUri(), token()),
            Backoff.standard(),
            Timing.system(),
            m -> err.println("minewatch: " + m));
    Delivery d = new Delivery(s, sender, serverUri(), retryFor(retryForDefault), err, quiet);
    sender.start(s);
    return d;
  }

  /**
   * Opens the spool for this server; null, with the reason on {@code err}, if it cannot be used.
   *
   * @param optional the command can do without it (push with files): the reason is a warning
   */
  Spool openSpool(String command, PrintStream err, boolean optional) {
    String problem = problem();
    if (problem != null) {
      err.println("minewatch " + command + ": " + problem);
      return null;
    }
    String warning = cleartextWarning();
    if (warning != null) {
      err.println("minewatch: " + warning);
    }
    Path dir = spoolDirectory();
    Spool s = null;
    try {
      s = Spool.open(dir);
      String url = serverUri().toString();
      String bound = s.server();
      Spool.Backlog backlog = s.backlog();
      if (bound != null && !bound.equals(url) && backlog.batches() > 0) {
        err.println(
            "minewatch "
                + command
                + ": "
                + (optional ? "warning: " : "")
                + "spool "
                + dir
                + " holds "
                + describe(backlog)
                + " for "
                + bound
                + ", not "
                + url
                + ": send them there first (minewatch push --server "
                + bound
                + " --spool "
                + dir
                + ")"
                + (optional
                    ? "; sending the files only"
                    : " or give this command " + "another --spool DIR"));
        s.close();
        return null;
      }
      s.server(url);
      if (backlog.batches() > 0) {
        err.println(
            "minewatch: spool "
                + dir
                + " holds "
                + describe(backlog)
                + " from an earlier run: sending them "
                + "first");
      }
      return s;
    } catch (Spool.LockedException e) {
      err.println(
          "minewatch "
              + command
              + ": "
              + (optional ? "warning: " : "")
              + e.getMessage()
              + (optional ? "; sending the files only" : ""));
    } catch (IOException e) {
      err.println("minewatch " + command + ": spool " + dir + ": " + e);
    }
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // already failing
      }
    }
    return null;
  }

  static String describe(Spool.Backlog b) {
    return String.format(
        Locale.ROOT,
        "%,d batch%s (%,d finding%s)",
        b.batches(),
        b.batches() == 1 ? "" : "es",
        b.lines(),
        b.lines() == 1 ? "" : "s");
  }
}
