package org.minewatch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;
import org.minewatch.testkit.PcapSlice;

/**
 * Real TLS miners (XMRig, cpuminer; TLS 1.3, IPv4 and IPv6) as a sensor sees them when it starts
 * watching in the middle of their session (no SYN, no handshake: the first bytes it sees are
 * application records) and when its capture stops while the session is still open: the behaviour
 * model must still flag them, with the miner as the client. The shipped model learnt from these
 * captures whole: what this tests is the engine's handling of a session without its start or its
 * end, not the model's judgement of unseen miners (docs/evaluation.md has that, fold by fold).
 */
class RealMinersMidSessionTest {
  private static final Path MINING = Path.of("../../shared/corpus/real-miners/mining");

  /** Each capture with its miner's address, all mining over TLS for 3 minutes or more. */
  private static final Map<String, String> MINERS =
      Map.of(
          "xmrig_rx0_tls443_180s.pcap", "10.66.0.11",
          "xmrig_rx0_tls14444_300s.pcap", "10.66.0.14",
          "xmrig_rx0_tls6_443_240s.pcap", "2001:db8:66::15",
          "cpuminer_sha256d_tls3358_300s.pcap", "10.66.0.26",
          "cpuminer_sha256d_tls6_9999_240s.pcap", "2001:db8:66::25",
          "cpuminer_scrypt_tls6443_180s.pcap", "10.66.0.23");

  @TempDir Path dir;

  @Test
  void joinedAfterTheirFirst40SecondsTheyAreStillLikely() throws IOException {
    Map<String, String> expected = new TreeMap<>();
    MINERS.forEach((name, host) -> expected.put(name, host + " likely"));
    assertThat(flaggedMiners(40, 1e9)).isEqualTo(expected);
  }

  @Test
  void cutAfterTheirFirst65SecondsTheyAreFlaggedWithWhatWasSeen() throws IOException {
    // Likely where the pool had pushed a job by then; suspect where none had come yet (jobs every
    // 90 or 120 s), as the finding says.
    Map<String, String> expected = new TreeMap<>();
    MINERS.forEach((name, host) -> expected.put(name, host + " suspect"));
    for (String pushed :
        List.of(
            "xmrig_rx0_tls443_180s.pcap",
            "xmrig_rx0_tls6_443_240s.pcap",
            "cpuminer_scrypt_tls6443_180s.pcap")) {
      expected.put(pushed, MINERS.get(pushed) + " likely");
    }
    assertThat(flaggedMiners(0, 65)).isEqualTo(expected);
  }

  /** Capture → the miner the scan flags from behaviour and its verdict, for each slice. */
  private Map<String, String> flaggedMiners(double from, double to) throws IOException {
    assumeTrue(
        Files.isDirectory(MINING),
        "../shared/corpus/real-miners is absent here: the real miners are sliced where they are");
    Map<String, String> flagged = new TreeMap<>();
    for (String name : MINERS.keySet()) {
      Path slice = dir.resolve(name);
      PcapSlice.slice(MINING.resolve(name), slice, from, to);
      List<Finding> findings = new Scanner(ScanReporter.SILENT).scan(List.of(slice)).findings();
      for (Finding f : findings) {
        if (f.role() == Role.MINER && f.protocol() == Protocol.MINING_BEHAVIOUR) {
          flagged.put(name, f.host() + " " + f.verdict().label());
        }
      }
    }
    return flagged;
  }
}
