package org.minewatch.detect.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ForestModelTest {
  private static final String FEATURES =
      "features " + String.join(",", BehaviourFeatures.NAMES) + "\n";

  private static ForestModel read(String text) throws IOException {
    return ForestModel.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test-model");
  }

  /**
   * Two trees: the first splits on unsolicited_server_fraction (7) then answered_client_fraction
   * (8).
   */
  private static final String TWO_TREES =
      FEATURES
          + "threshold 0.6\n"
          + "tree\nS 7 0.5 0.4\nL 0.1\nS 8 0.3 0.7\nL 0.2\nL 0.9\n"
          + "tree\nL 0.4\n";

  @Test
  void scoreIsTheMeanLeafShareAndContributionsFollowThePath() throws IOException {
    ForestModel m = read(TWO_TREES);
    double[] x = new double[BehaviourFeatures.NAMES.size()];
    x[7] = 0.8;
    x[8] = 0.9;
    double[] parts = new double[x.length];
    assertThat(m.score(x, parts)).isCloseTo((0.9 + 0.4) / 2, within(1e-12));
    assertThat(parts[7]).isCloseTo((0.7 - 0.4) / 2, within(1e-12));
    assertThat(parts[8]).isCloseTo((0.9 - 0.7) / 2, within(1e-12));
    assertThat(m.threshold()).isEqualTo(0.6);
    x[7] = 0.5; // at the threshold: the low side
    assertThat(m.score(x, null)).isCloseTo((0.1 + 0.4) / 2, within(1e-12));
  }

  @Test
  void brokenModelsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> read(FEATURES + "tree\nS 7 0.5 0.4\nL 0.1\n"))
        .hasMessage("test-model: a tree ends inside a split");
    assertThatThrownBy(() -> read(FEATURES + "tree\nS 99 0.5 0.4\nL 0.1\nL 0.2\n"))
        .hasMessage("test-model: split on feature 99 of 17");
    assertThatThrownBy(() -> read(FEATURES + "tree\nL 0.1\nL 0.2\n"))
        .hasMessage("test-model: a tree has 1 nodes that no split reaches");
    assertThatThrownBy(() -> read(FEATURES + "forest\n"))
        .hasMessage("test-model: line 2: unknown line: forest");
    assertThatThrownBy(() -> read("features a,b\ntree\nL 0\n"))
        .hasMessageStartingWith(
            "test-model: trained on features [a, b], this build computes [duration_log10_s,");
  }

  @Test
  void theShippedModelLoads() {
    ForestModel m = ForestModel.builtIn();
    assertThat(m.features()).isEqualTo(BehaviourFeatures.NAMES);
    assertThat(m.threshold()).isEqualTo(0.5);
  }
}
