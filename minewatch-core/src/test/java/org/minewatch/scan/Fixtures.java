package org.minewatch.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Role;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.TrafficBuilder;

/** Writes generated traffic to a temporary capture and scans it. */
public final class Fixtures {
  private Fixtures() {}

  /** A scan's result and the lines it reported. */
  public record Scan(Scanner.Result result, List<String> problems) {
    public List<Finding> findings() {
      return result.findings();
    }

    public Finding only(String host, Role role) {
      List<Finding> f =
          findings().stream()
              .filter(x -> x.host().toString().equals(host) && x.role() == role)
              .toList();
      if (f.size() != 1) {
        throw new AssertionError(
            "expected one " + role + " finding for " + host + " in " + findings());
      }
      return f.get(0);
    }
  }

  public static Scan scan(Path dir, List<TrafficBuilder.Frame> frames) {
    return scanBytes(
        dir, PcapWriter.pcap(frames, PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, false));
  }

  public static Scan scanBytes(Path dir, byte[] capture) {
    try {
      Path file = Files.createTempFile(dir, "fixture", ".pcap");
      Files.write(file, capture);
      return scanPaths(List.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Scan scanPaths(List<Path> paths) {
    List<String> problems = new ArrayList<>();
    Scanner.Result r = new Scanner(problems::add).scan(paths);
    return new Scan(r, problems);
  }
}
