package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.attribution.registry.DemoRegistry;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.SampleCaptures;

/**
 * The demo end to end: scan the sample with the demo registry, report, and render the page in
 * Chromium.
 */
class ReportCommandTest extends ConsoleTest {
  @TempDir Path dir;

  private Path findings;

  @BeforeEach
  void scanTheSampleWithTheDemoRegistry() throws IOException {
    Path capture = dir.resolve("campus.pcap");
    Files.write(
        capture,
        PcapWriter.pcap(
            SampleCaptures.campus(), PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, false));
    Path registry = dir.resolve("demo-registry.csv");
    Files.writeString(registry, DemoRegistry.csv());
    findings = dir.resolve("findings.jsonl");
    assertThat(
            MineWatch.run(
                "scan",
                "-q",
                "-f",
                "jsonl",
                "-o",
                findings.toString(),
                "--registry",
                registry.toString(),
                capture.toString()))
        .isZero();
  }

  @Test
  void jsonFiguresOfTheSample() throws IOException {
    Path out = dir.resolve("report.json");
    // The same findings twice, as from two scans: still three mining addresses.
    assertThat(
            MineWatch.run(
                "report",
                "-f",
                "json",
                "-o",
                out.toString(),
                findings.toString(),
                findings.toString()))
        .isZero();
    String json = Files.readString(out);
    assertThat(json)
        .contains(
            "\"mining_hosts\" : 3,",
            "\"units\" : 3,",
            "\"government\" : 1,",
            "\"university\" : 1,",
            "\"residential\" : 1,",
            "\"share_gov_univ_enterprise\" : 0.6667,",
            "\"compromised\" : 1,",
            "\"deliberate\" : 1,",
            "\"monero\" : 1,",
            "\"ethereum\" : 1,",
            "\"南京市\" : 1,");
  }

  @Test
  void unusableArgumentsExitWith2() {
    assertThat(MineWatch.run("report", "-f", "pdf", findings.toString())).isEqualTo(2);
    assertThat(MineWatch.run("report", "--lang", "fr", findings.toString())).isEqualTo(2);
    assertThat(MineWatch.run("report", dir.resolve("none.jsonl").toString())).isEqualTo(2);
    assertThat(stderr())
        .contains(
            "minewatch report: unknown format: pdf (html, md, csv or json)",
            "minewatch report: unknown language: fr (zh or en)",
            "minewatch report: no findings read from the inputs; no report written");
  }

  private static boolean installed(String program) {
    return Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  @Test
  void theHtmlReportRendersInHeadlessChromiumWithoutNetwork() throws Exception {
    assumeTrue(
        installed("chromium"), "chromium is not installed (apt-get install chromium); skipped");
    Path html = dir.resolve("report.html");
    assertThat(MineWatch.run("report", "--lang", "zh", "-o", html.toString(), findings.toString()))
        .isZero();
    Path png = dir.resolve("report.png");
    Process p =
        new ProcessBuilder(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--window-size=1280,1000",
                "--screenshot=" + png,
                html.toUri().toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("chromium.log").toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(png).as(Files.readString(dir.resolve("chromium.log"))).exists();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    // The bars of the category chart are drawn in #4a6fa5: three bars of 260 × 22 pixels at most.
    int bars = 0;
    int dark = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        bars += rgb == 0x4a6fa5 ? 1 : 0;
        dark += (rgb >> 16 & 0xff) < 80 && (rgb >> 8 & 0xff) < 80 && (rgb & 0xff) < 80 ? 1 : 0;
      }
    }
    assertThat(bars).isBetween(3 * 200 * 18, 3 * 260 * 22);
    assertThat(dark).as("text was drawn").isGreaterThan(2000);
    List<String> log = Files.readAllLines(dir.resolve("chromium.log"));
    assertThat(log).noneMatch(l -> l.contains("net::ERR") && l.contains("report"));
  }
}
