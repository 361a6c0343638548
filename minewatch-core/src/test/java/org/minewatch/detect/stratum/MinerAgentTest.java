package org.minewatch.detect.stratum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which User-Agents name a mining program, read from the header's raw bytes. */
class MinerAgentTest {
  private static boolean agent(String value) {
    byte[] b = ("ab" + value + "yz").getBytes(StandardCharsets.ISO_8859_1);
    return StratumGrammar.isMinerAgent(b, 2, b.length - 2); // not at the array's ends
  }

  @Test
  void aMinersWordAnywhereAndInAnyCaseNamesAMiner() {
    assertThat(agent("XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0")).isTrue();
    assertThat(agent("cgminer/4.12.1")).isTrue();
    assertThat(agent("Mozilla/5.0 (compatible; CPUMINER-opt)")).isTrue();
    assertThat(agent("bfgminer")).isTrue();
    assertThat(agent("some-miner/1.0")).isTrue(); // "miner/" ends the value's last word
    assertThat(agent("nbminer")).isTrue();
    assertThat(agent("x T-Rex")).isTrue();
  }

  @Test
  void browsersToolsAndBytesOutsideAsciiAreNotMiners() {
    assertThat(
            agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"))
        .isFalse();
    assertThat(agent("curl/8.5.0")).isFalse();
    assertThat(agent("xmri")).isFalse(); // a word cut short
    assertThat(agent("x")).isFalse();
    assertThat(agent("")).isFalse();
    assertThat(agent("xm\u00e9rig")).isFalse();
  }

  @Test
  void theWordMustLieWithinTheValue() {
    byte[] b = "User-Agent: xmr|ig".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(StratumGrammar.isMinerAgent(b, 12, 15)).isFalse(); // "xmr"
    byte[] c = "xmrig".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(StratumGrammar.isMinerAgent(c, 0, 4)).isFalse();
    assertThat(StratumGrammar.isMinerAgent(c, 0, 5)).isTrue();
  }
}
