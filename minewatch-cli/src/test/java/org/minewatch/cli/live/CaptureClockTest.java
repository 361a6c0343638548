package org.minewatch.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaptureClockTest {
  private static final long S = 1_000_000_000L;
  private long monotonic = 5 * S;
  private final CaptureClock clock = new CaptureClock(() -> monotonic);

  @Test
  void beforeTheFirstPacketNothingIsDue() {
    assertThat(clock.now()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void theNewestPacketsTimeMovesOnOnlyPastTheLag() {
    long t = 1_700_000_000L * S;
    clock.packet(t);
    assertThat(clock.now()).isEqualTo(t);
    monotonic += CaptureClock.LAG_NANOS;
    assertThat(clock.now()).isEqualTo(t);
    monotonic += 29 * S;
    assertThat(clock.now()).isEqualTo(t + 29 * S);
  }

  @Test
  void anOlderPacketDoesNotSetTheClockBack() {
    long t = 1_700_000_000L * S;
    clock.packet(t);
    monotonic += 3 * S;
    clock.packet(t - S); // stamped before the newest: the clock keeps running from the newest
    assertThat(clock.now()).isEqualTo(t + 2 * S);
    clock.packet(t + 2 * S + S / 2); // a newer one sets it, and the lag starts again
    assertThat(clock.now()).isEqualTo(t + 2 * S + S / 2);
  }
}
