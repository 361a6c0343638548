package org.minewatch.cli.push;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Time that passes only in pauses, which it records: tests of the back-off neither wait nor read
 * the clock.
 */
final class FakeTiming implements Timing {
  private long now = 1_000_000_000_000L;
  private final List<Long> pauses = new ArrayList<>();
  private final IntConsumer onPause;

  /**
   * @param onPause called with the pause's number (1, 2, ...) after it, e.g. to bring a server back
   */
  FakeTiming(IntConsumer onPause) {
    this.onPause = onPause;
  }

  FakeTiming() {
    this(n -> {});
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public void pause(long nanos) throws InterruptedException {
    int n;
    synchronized (this) {
      now += nanos;
      pauses.add(nanos);
      n = pauses.size();
    }
    onPause.accept(n);
    Thread.sleep(1); // a sender on its own thread must not spin hot while a test sets things up
  }

  @Override
  public void wakeUp() {}

  synchronized List<Long> pauses() {
    return List.copyOf(pauses);
  }
}
