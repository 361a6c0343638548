package org.minewatch.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaptureClockTest {
  private static final long S = 1_000_000_000L;
  private static final long T = 1_700_000_000L * S;
  private long monotonic = 5 * S;
  private final CaptureClock clock = new CaptureClock(() -> monotonic);

  @Test
  void beforeTheFirstPacketNothingIsDue() {
    assertThat(clock.now()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void theNewestPacketsTimeMovesOnOnlyPastTheLag() {
    clock.packet(T);
    assertThat(clock.now()).isEqualTo(T);
    monotonic += CaptureClock.LAG_NANOS;
    assertThat(clock.now()).isEqualTo(T);
    monotonic += 29 * S;
    assertThat(clock.now()).isEqualTo(T + 29 * S);
  }

  @Test
  void aPacketStampedBeforeTheNewestLeavesTheClockRunningFromTheNewest() {
    clock.packet(T);
    monotonic += CaptureClock.LAG_NANOS + 3 * S;
    clock.packet(T - S);
    assertThat(clock.now()).isEqualTo(T + 3 * S);
  }

  /** The host's clock set back an hour: the capture's starts again from the packets' time. */
  @Test
  void aClockSetBackIsFollowed() {
    clock.packet(T);
    monotonic += CaptureClock.LAG_NANOS + 3 * S;
    assertThat(clock.now()).isEqualTo(T + 3 * S);
    clock.packet(T + 3 * S - CaptureClock.STEP_BACK_NANOS); // within the step: no step
    assertThat(clock.now()).isEqualTo(T + 3 * S);
    clock.packet(T - 3600 * S);
    assertThat(clock.now()).isEqualTo(T - 3600 * S);
    monotonic += CaptureClock.LAG_NANOS + S;
    assertThat(clock.now()).isEqualTo(T - 3599 * S);
  }

  @Test
  void theClockNeverGoesBack() {
    clock.packet(T);
    monotonic += CaptureClock.LAG_NANOS + 3 * S;
    assertThat(clock.now()).isEqualTo(T + 3 * S);
    // Newer than the newest but older than the time read: the lag starts again from it, and the
    // clock waits there until that catches up.
    clock.packet(T + S);
    assertThat(clock.now()).isEqualTo(T + 3 * S);
    monotonic += CaptureClock.LAG_NANOS + 2 * S;
    assertThat(clock.now()).isEqualTo(T + 3 * S);
    monotonic += S;
    assertThat(clock.now()).isEqualTo(T + 4 * S);
  }
}
