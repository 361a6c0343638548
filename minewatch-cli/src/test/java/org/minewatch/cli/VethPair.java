package org.minewatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A veth pair made for one test, both ends up: frames sent into {@link #sender} (by tcpreplay) come
 * out of {@link #receiver}, where the test captures. Deleted on close (with one end, both go).
 */
final class VethPair implements AutoCloseable {
  private static final Path IP = Path.of("/usr/sbin/ip");

  final String sender;
  final String receiver;

  private VethPair(String sender, String receiver) {
    this.sender = sender;
    this.receiver = receiver;
  }

  /**
   * A new pair named from {@code prefix} and this process; null where none can be made here (no
   * ip(8), or not root).
   */
  static VethPair createOrNull(String prefix) throws Exception {
    if (!Files.isExecutable(IP)) {
      return null;
    }
    String base = prefix + ProcessHandle.current().pid() % 100_000;
    VethPair pair = new VethPair(base + "a", base + "b");
    if (!ip("link", "add", pair.sender, "type", "veth", "peer", "name", pair.receiver)) {
      return null;
    }
    if (!ip("link", "set", pair.sender, "up") || !ip("link", "set", pair.receiver, "up")) {
      pair.close();
      throw new IllegalStateException("cannot bring up the veth pair " + base);
    }
    return pair;
  }

  @Override
  public void close() throws Exception {
    ip("link", "del", sender);
  }

  private static boolean ip(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(IP.toString()));
    command.addAll(List.of(arguments));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
