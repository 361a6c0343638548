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

  /**
   * Why the words are indexed by their first two letters (docs/benchmarks.md): over a Chrome 126
   * User-Agent, the first letter alone would start 72 word comparisons at 30 of its 101 positions,
   * the first two letters 1.
   */
  @Test
  void twoLettersStartFarFewerComparisonsThanOneOverABrowsersAgent() {
    String chrome =
        "mozilla/5.0 (x11; linux x86_64) applewebkit/537.36 (khtml, like gecko) chrome/126.0.0.0"
            + " safari/537.36";
    int byLetter = 0;
    int positions = 0;
    int byPair = 0;
    for (int i = 0; i < chrome.length(); i++) {
      int here = 0;
      for (String w : StratumGrammar.MINER_AGENTS) {
        if (w.charAt(0) == chrome.charAt(i)) {
          here++;
          if (chrome.startsWith(w.substring(0, 2), i)) {
            byPair++;
          }
        }
      }
      byLetter += here;
      positions += here > 0 ? 1 : 0;
    }
    assertThat(chrome).hasSize(101);
    assertThat(StratumGrammar.MINER_AGENTS).allMatch(w -> w.equals(w.toLowerCase()));
    assertThat(byLetter).isEqualTo(72);
    assertThat(positions).isEqualTo(30);
    assertThat(byPair).isEqualTo(1);
    assertThat(agent(chrome)).isFalse();
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
