package org.minewatch.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model shipped in the core is exactly what the documented training command produces, and its
 * held-out figures are the ones docs/evaluation.md reports. Needs ../shared (the real captures
 * among the examples); skips where it is absent.
 */
class TrainBehaviourModelTest {
  private static Path shared() {
    String override = System.getProperty("minewatch.shared");
    return override != null
        ? Path.of(override)
        : Path.of("").toAbsolutePath().getParent().getParent().resolve("shared");
  }

  private static Path corpus() {
    return shared().resolve("corpus/ndpi/other");
  }

  @Test
  void theShippedModelIsWhatTheDocumentedCommandTrains() throws IOException {
    Path corpus = corpus();
    assumeTrue(
        Files.isDirectory(corpus),
        corpus + " is absent (../shared not beside the project); skipped");
    Path real = shared().resolve("corpus/real-miners");
    assumeTrue(
        Files.isDirectory(real), real + " is absent (../shared not beside the project); skipped");
    Path benign = Path.of("").toAbsolutePath().getParent().resolve("data/benign-tls");
    List<Example> examples = TrainBehaviourModel.examples(250, 1, corpus, real, benign, null, true);
    String header =
        TrainBehaviourModel.header(
            250,
            1,
            Path.of("../shared/corpus/ndpi/other"),
            Path.of("../shared/corpus/real-miners"),
            Path.of("data/benign-tls"),
            null,
            true);
    TrainBehaviourModel.Result r = TrainBehaviourModel.train(examples, 1, header);
    Path shipped =
        Path.of("")
            .toAbsolutePath()
            .getParent()
            .resolve(
                "minewatch-core/src/main/resources/org/minewatch/detect/behaviour/behaviour-model.txt");
    assertThat(r.model()).isEqualTo(Files.readString(shipped));
    TrainBehaviourModel.Evaluation e = r.heldOut();
    assertThat(
            new long[] {
              e.truePositives(), e.falsePositives(), e.falseNegatives(), e.trueNegatives()
            })
        .containsExactly(HELD_OUT);
  }

  /** The held-out counts docs/evaluation.md reports: TP, FP, FN, TN. */
  static final long[] HELD_OUT = {1148, 8, 11, 2156};

  @Test
  void generatedExamplesAreReproducibleAndBothClassesAreThere() {
    List<Example> a = ExampleSources.generated(20, 7);
    assertThat(ExampleSources.generated(20, 7, true))
        .anyMatch(x -> x.window() >= 120)
        .anyMatch(x -> x.window() == 0);
    List<Example> b = ExampleSources.generated(20, 7);
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).features()).containsExactly(b.get(i).features());
    }
    assertThat(a).anyMatch(Example::mining).anyMatch(x -> !x.mining());
  }

  /**
   * {@code --miners DIR}: each recorded real session the engine can judge is one mining example of
   * kind "recorded-mining", its capture its group (so a split never puts one session on both
   * sides). Of the 13 TLS sessions of data/real-xmrig, 12 are judgeable at their end (s5n02 sent
   * one share in 292 s); its 3 clear sessions are read as Stratum, not profiled.
   */
  @Test
  void recordedMinersAreMiningExamplesOneGroupACapture() throws IOException {
    Path miners = Path.of("").toAbsolutePath().getParent().resolve("data/real-xmrig/mining");
    assumeTrue(Files.isDirectory(miners), miners + " is absent; skipped");
    List<Example> examples = TrainBehaviourModel.examples(5, 1, null, null, null, miners, false);
    List<Example> recorded =
        examples.stream().filter(x -> x.kind().equals("recorded-mining")).toList();
    assertThat(recorded).hasSize(12).allMatch(Example::mining);
    assertThat(recorded.stream().map(Example::group).distinct().toList())
        .hasSize(12)
        .allMatch(g -> g.startsWith("xmrig_rx0_tls") && g.endsWith(".pcap"))
        .noneMatch(g -> g.contains("s5n02"));
    assertThat(examples).hasSize(recorded.size() + ExampleSources.generated(5, 1, false).size());
    assertThat(
            TrainBehaviourModel.header(
                5, 1, null, null, null, Path.of("data/real-xmrig/mining"), false))
        .contains(" --miners data/real-xmrig/mining");
  }
}
