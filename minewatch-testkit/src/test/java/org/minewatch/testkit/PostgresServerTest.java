package org.minewatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

  @Test
  void startsCreatesDatabasesThatAnswerAndStopsLeavingNothing() throws Exception {
    assumeTrue(PostgresServer.available(), PostgresServer::unavailableReason);
    PostgresServer server = PostgresServer.start().orElseThrow();
    Path dir = server.directory();
    int port = server.port();
    long postmaster;
    try {
      postmaster =
          Long.parseLong(
              Files.readAllLines(server.dataDirectory().resolve("postmaster.pid")).get(0).trim());
      assertThat(ProcessHandle.of(postmaster)).isPresent();
      assertThat(portOpen(port)).isTrue();

      String first = server.createDatabase();
      String second = server.createDatabase();
      String prefix = "jdbc:postgresql://127.0.0.1:" + port + "/";
      assertThat(first).startsWith(prefix).isNotEqualTo(second);
      assertThat(second).startsWith(prefix);
      for (String url : List.of(first, second)) {
        String name = url.substring(prefix.length());
        assertThat(psqlSelect1(server, name)).as("psql -tAc 'select 1' on %s", name).isEqualTo("1");
        assertThat(server.psql(name, "select current_database()")).isEqualTo(name);
      }
      assertThat(
              server.psql(
                  "postgres",
                  "select current_setting('fsync') || ' ' || current_setting('listen_addresses')"
                      + " || ' ' || pg_encoding_to_char(encoding) from pg_database where datname = 'postgres'"))
          .isEqualTo("off 127.0.0.1 UTF8");
      assertThat(server.user()).isEqualTo("minewatch");
      assertThat(server.password()).isNotEmpty();
    } finally {
      server.close();
    }
    assertThat(portOpen(port)).as("port %d after close", port).isFalse();
    assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(dir).doesNotExist();
    server.close(); // idempotent
  }

  @Test
  void sharedInstanceStartsOnceAndIsReused() {
    assumeTrue(PostgresServer.available(), PostgresServer::unavailableReason);
    PostgresServer shared = PostgresServer.instance();
    assertThat(PostgresServer.instance()).isSameAs(shared);
    String url = shared.createDatabase();
    String name = url.substring(url.lastIndexOf('/') + 1);
    assertThat(shared.psql(name, "select 1")).isEqualTo("1");
    // Left running on purpose: the shutdown hook stops it when the test JVM exits.
  }

  @Test
  void missingBinariesExplainHowToGetThem(@TempDir Path empty) {
    PostgresServer.Binaries none = PostgresServer.locate(null, empty);
    assertThat(none.dir()).isNull();
    assertThat(none.reason())
        .contains(empty + "/*/bin")
        .contains("install Debian's postgresql package (.ci/run does)");

    PostgresServer.Binaries badOverride =
        PostgresServer.locate(empty.toString(), PostgresServer.DEBIAN_ROOT);
    assertThat(badOverride.dir()).isNull();
    assertThat(badOverride.reason()).startsWith(PostgresServer.BIN_ENV + "=").contains("initdb");
  }

  @Test
  void picksTheNewestCompleteVersion(@TempDir Path root) throws IOException {
    fakeBin(root.resolve("9.6/bin"), "initdb", "pg_ctl", "postgres", "psql");
    fakeBin(root.resolve("15/bin"), "initdb", "pg_ctl", "postgres", "psql");
    fakeBin(root.resolve("16/bin"), "psql"); // client only: no server
    fakeBin(root.resolve("13/bin"), "initdb", "pg_ctl", "postgres", "psql");
    assertThat(PostgresServer.locate(null, root).dir()).isEqualTo(root.resolve("15/bin"));
    assertThat(PostgresServer.locate(root.resolve("9.6/bin").toString(), root).dir())
        .isEqualTo(root.resolve("9.6/bin"));
  }

  private static void fakeBin(Path bin, String... tools) throws IOException {
    Files.createDirectories(bin);
    for (String tool : tools) {
      Files.createFile(
          bin.resolve(tool),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
  }

  /** psql -tAc 'select 1' from the server's bin directory, over TCP to 127.0.0.1. */
  private static String psqlSelect1(PostgresServer server, String database) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                server.binDir().resolve("psql").toString(),
                "-X",
                "-w",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(server.port()),
                "-U",
                server.user(),
                "-d",
                database,
                "-tAc",
                "select 1")
            .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("psql exit status; output: %s", out).isZero();
    return out.trim();
  }

  private static boolean portOpen(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
