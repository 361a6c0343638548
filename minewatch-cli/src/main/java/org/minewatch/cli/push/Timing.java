package org.minewatch.cli.push;

/**
 * The clock and the pauses of the sender's back-off, replaceable so that tests neither wait nor
 * depend on the wall clock.
 */
public interface Timing {
  /** A monotonic clock in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Waits {@code nanos}, or less once {@link #wakeUp()} is called. */
  void pause(long nanos) throws InterruptedException;

  /** Ends a {@link #pause} in progress early (the stop of a live command, for a last attempt). */
  void wakeUp();

  /** Real time. */
  static Timing system() {
    return new Timing() {
      private final Object monitor = new Object();
      private boolean woken;

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void pause(long nanos) throws InterruptedException {
        long until = System.nanoTime() + nanos;
        synchronized (monitor) {
          for (long left = nanos; left > 0 && !woken; left = until - System.nanoTime()) {
            monitor.wait(Math.max(1, left / 1_000_000L));
          }
          woken = false;
        }
      }

      @Override
      public void wakeUp() {
        synchronized (monitor) {
          woken = true;
          monitor.notifyAll();
        }
      }
    };
  }
}
