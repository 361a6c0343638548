package org.minewatch.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code limit} events per key in a sliding window. Keys of idle clients are dropped once
 * the map grows large, so a flood of addresses cannot grow it without bound. One instance limits
 * tip-offs per client address for the JSON API and the public page alike.
 */
public final class RateLimiter {
  private static final int MAX_KEYS = 100_000;
  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Instant>> seen = new ConcurrentHashMap<>();

  RateLimiter(int limit, Duration window, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  public int limit() {
    return limit;
  }

  public Duration window() {
    return window;
  }

  /**
   * Records an event for {@code key}; false when the key is over its limit (the event is not
   * counted).
   */
  public boolean tryAcquire(String key) {
    Instant now = clock.instant();
    if (seen.size() > MAX_KEYS) {
      seen.entrySet()
          .removeIf(
              e -> {
                synchronized (e.getValue()) {
                  return e.getValue().isEmpty()
                      || e.getValue().peekLast().isBefore(now.minus(window));
                }
              });
    }
    Deque<Instant> q = seen.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (q) {
      while (!q.isEmpty() && !q.peekFirst().isAfter(now.minus(window))) {
        q.pollFirst();
      }
      if (q.size() >= limit) {
        return false;
      }
      q.addLast(now);
      return true;
    }
  }
}
