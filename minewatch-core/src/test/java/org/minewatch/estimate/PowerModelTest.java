package org.minewatch.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.minewatch.model.Algorithm;

class PowerModelTest {
  @Test
  void hundredTerahashOfSha256OnAsicsIsThreeKilowattsAtThirtyJoulesPerTerahash() {
    HashRate r = new HashRate(Algorithm.SHA256D, 100e12, "H/s", 80e12, 120e12, 50, "shares");
    PowerEstimate p = PowerModel.defaults().estimate(r, "bmminer/2.0.0", PowerModel.HOST_PUE);
    assertThat(p.bestWatts()).isCloseTo(3000, within(1e-6));
    assertThat(p.lowWatts()).isCloseTo(80 * 15, within(1e-6));
    assertThat(p.highWatts()).isCloseTo(120 * 100, within(1e-6));
    assertThat(p.bestKwhPerDay()).isCloseTo(72, within(1e-9));
    assertThat(p.hardware()).isEqualTo("asic");
  }

  @Test
  void theHardwareClassFollowsTheMinerProgramWhereTheTableHasIt() {
    HashRate r = new HashRate(Algorithm.EQUIHASH_200_9, 1000, "Sol/s", 800, 1200, 40, "shares");
    PowerModel m = PowerModel.defaults();
    assertThat(m.estimate(r, "EWBF 0.3.4b", 1.0).hardware()).isEqualTo("gpu");
    assertThat(m.estimate(r, "cgminer/4.11.1", 1.0).hardware()).isEqualTo("asic");
    assertThat(m.estimate(r, null, 1.0).hardware()).isEqualTo("gpu"); // the algorithm's first row
    assertThat(m.estimate(r, null, 1.1).bestWatts()).isCloseTo(1000 * 0.35 * 1.1, within(1e-9));
  }

  @Test
  void noRateOrNoRowMeansNoPower() {
    PowerModel m = PowerModel.defaults();
    assertThat(m.estimate(null, "xmrig", 1.0)).isNull();
    assertThat(
            m.estimate(
                new HashRate(
                    Algorithm.RANDOMX, Double.NaN, "H/s", Double.NaN, Double.NaN, 2, "shares"),
                "xmrig",
                1.0))
        .isNull();
    assertThat(
            m.estimate(new HashRate(Algorithm.ARGON2, 10, "H/s", 5, 20, 10, "shares"), null, 1.0))
        .isNull();
  }

  @Test
  void aUsersTableReplacesTheBuiltInOneAndBadRowsNameTheirLine() throws Exception {
    String csv = "# mine\nrandomx,cpu,0.01,0.02,0.04,J/H,lab measurement\n";
    PowerModel m =
        PowerModel.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "t.csv");
    assertThat(m.rows()).hasSize(1);
    assertThat(
            m.estimate(
                    new HashRate(Algorithm.RANDOMX, 1000, "H/s", 900, 1100, 30, "shares"),
                    null,
                    1.0)
                .bestWatts())
        .isCloseTo(20, within(1e-9));
    String bad = "randomx,cpu,0.04,0.02,0.01,J/H,x\n";
    assertThatThrownBy(
            () ->
                PowerModel.parse(
                    new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8)), "b.csv"))
        .hasMessage("b.csv: line 1: needs 0 < low <= best <= high");
    String unit = "\nsha256d,asic,1,2,3,W/TH\n";
    assertThatThrownBy(
            () ->
                PowerModel.parse(
                    new ByteArrayInputStream(unit.getBytes(StandardCharsets.UTF_8)), "u.csv"))
        .hasMessage("u.csv: line 2: unknown unit W/TH");
  }
}
