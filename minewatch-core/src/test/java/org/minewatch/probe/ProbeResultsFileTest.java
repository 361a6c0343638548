package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Protocol;

/**
 * results.tsv: written atomically, merged with what another process wrote, and no line ever
 * silently lost.
 */
class ProbeResultsFileTest {
  @TempDir Path dir;

  private static ProbeResult notAPool(String endpoint, String time) {
    return new ProbeResult(
        ProbeMemory.endpoint(endpoint),
        Instant.parse(time),
        null,
        List.of("stratum-v1 over TLS: mining.subscribe: no answer within 5.0 s"));
  }

  @Test
  void twoProcessesSavingTheSameFileKeepBothResults() throws Exception {
    Path file = dir.resolve("results.tsv");
    ProbeMemory first = ProbeMemory.load(file, Duration.ofHours(1));
    ProbeMemory second = ProbeMemory.load(file, Duration.ofHours(1)); // read before the first saved
    first.remember(notAPool("192.0.2.1:3333", "2025-03-01T08:00:00Z"));
    first.save();
    second.remember(notAPool("192.0.2.2:3333", "2025-03-01T08:00:01Z"));
    second.remember(notAPool("192.0.2.1:3333", "2025-03-01T07:00:00Z")); // older than the first's
    second.save();
    ProbeMemory after = ProbeMemory.load(file, Duration.ofHours(1));
    assertThat(
            after.recent(
                ProbeMemory.endpoint("192.0.2.1:3333"), Instant.parse("2025-03-01T08:30:00Z")))
        .contains(notAPool("192.0.2.1:3333", "2025-03-01T08:00:00Z"));
    assertThat(
            after.recent(
                ProbeMemory.endpoint("192.0.2.2:3333"), Instant.parse("2025-03-01T08:30:00Z")))
        .isPresent();
    // The second learnt the first's newer result too.
    assertThat(
            second.recent(
                ProbeMemory.endpoint("192.0.2.1:3333"), Instant.parse("2025-03-01T08:30:00Z")))
        .contains(notAPool("192.0.2.1:3333", "2025-03-01T08:00:00Z"));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("results.tsv", "results.tsv.lock");
    }
  }

  @Test
  void linesThatCannotBeReadAreNamedAndMovedToDotBadExactly() throws Exception {
    Path file = dir.resolve("results.tsv");
    ProbeMemory m = ProbeMemory.load(file, Duration.ofHours(1));
    m.remember(
        new ProbeResult(
            new Endpoint(IpAddress.parse("192.0.2.10"), 3333),
            Instant.parse("2025-03-01T08:00:00Z"),
            new Confirmation(
                Protocol.STRATUM_V1,
                Wire.CLEAR,
                "mining.subscribe: subscription granted",
                null,
                null,
                null,
                null),
            List.of("stratum-v1 in clear: mining.subscribe: subscription granted")));
    m.save();
    byte[] notUtf8 = {
      '1', '9', '2', '.', '0', '.', '2', '.', '9', ':', '1', '\t', (byte) 0xff, (byte) 0xfe, 'x'
    };
    ByteArrayOutputStream more = new ByteArrayOutputStream();
    more.write(notUtf8);
    more.write('\n');
    more.write("not\ta line\n".getBytes(StandardCharsets.UTF_8));
    Files.write(file, more.toByteArray(), java.nio.file.StandardOpenOption.APPEND);

    ProbeMemory again = ProbeMemory.load(file, Duration.ofHours(1));
    assertThat(again.problems())
        .containsExactly(
            file + ":3: skipped (kept in results.tsv.bad): not valid UTF-8",
            file
                + ":4: skipped (kept in results.tsv.bad): expected 10 tab-separated fields, found 2");
    assertThat(again.pools()).hasSize(1);
    again.save();
    assertThat(Files.readAllBytes(dir.resolve("results.tsv.bad"))).isEqualTo(more.toByteArray());
    ProbeMemory third = ProbeMemory.load(file, Duration.ofHours(1));
    assertThat(third.problems()).isEmpty();
    assertThat(third.pools()).hasSize(1);
    third.save(); // nothing more to move: the .bad file is not appended to again
    assertThat(Files.readAllBytes(dir.resolve("results.tsv.bad"))).isEqualTo(more.toByteArray());
  }
}
