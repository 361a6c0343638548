package org.minewatch.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.minewatch.detect.behaviour.BehaviourFeatures;

/**
 * The generator's mining connections against real miners': for every feature the model reads, the
 * real sessions of {@code ../shared/corpus/real-miners} (XMRig and cpuminer over TLS) must mostly
 * lie where the generator puts mining, so that a model trained on the generator is trained on
 * something like real mining. Fails when the two drift apart (as they did when every generated
 * connection lasted 5 minutes or more and the real ones 3 to 8). Skips without ../shared.
 */
class GeneratorDriftTest {
  /**
   * Share of the real sessions that must lie within the generated mining's 0.5–99.5 percentile
   * range.
   */
  static final double WITHIN = 0.8;

  @Test
  void realMinersLieWhereTheGeneratorPutsMiningFeatureByFeature() throws IOException {
    Path real =
        Path.of("")
            .toAbsolutePath()
            .getParent()
            .getParent()
            .resolve("shared/corpus/real-miners/mining");
    assumeTrue(
        Files.isDirectory(real), real + " is absent (../shared not beside the project); skipped");
    List<Example> generated =
        ExampleSources.generated(250, 1).stream().filter(Example::mining).toList();
    List<Example> miners = ExampleSources.captured(real, "real-mining", true, false);
    assertThat(miners).hasSizeGreaterThanOrEqualTo(10);
    List<String> drifted = new ArrayList<>();
    StringBuilder table = new StringBuilder();
    for (int f = 0; f < BehaviourFeatures.NAMES.size(); f++) {
      int feature = f;
      double[] g = generated.stream().mapToDouble(e -> e.features()[feature]).sorted().toArray();
      double low = g[(int) Math.floor(g.length * 0.005)];
      double high = g[(int) Math.ceil(g.length * 0.995) - 1];
      long inside =
          miners.stream()
              .filter(e -> e.features()[feature] >= low && e.features()[feature] <= high)
              .count();
      table.append(
          String.format(
              Locale.ROOT,
              "%s: generated %.3g–%.3g, real inside %d of %d%n",
              BehaviourFeatures.NAMES.get(f),
              low,
              high,
              inside,
              miners.size()));
      if (inside < WITHIN * miners.size()) {
        drifted.add(BehaviourFeatures.NAMES.get(f));
      }
    }
    assertThat(drifted)
        .as("features where real miners lie outside the generated mining:%n%s", table)
        .isEmpty();
  }
}
