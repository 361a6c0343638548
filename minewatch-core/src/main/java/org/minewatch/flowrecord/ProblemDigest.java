package org.minewatch.flowrecord;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Problems told in full for the first few of each kind, then only counted: a stream of junk would
 * otherwise print a line for each of its messages. The counts by kind make a summary.
 *
 * @param <K> the kinds problems are counted by
 */
public final class ProblemDigest<K extends Enum<K>> {
  /** Receives the problems told in full, and one line when a kind stops being told. */
  public interface Sink {
    void problem(String text);
  }

  private final int toldPerKind;
  private final String noun;
  private final Function<K, String> label;
  private final Sink sink;
  private final Map<K, long[]> counts;

  /**
   * @param toldPerKind how many problems of each kind are told in full
   * @param noun what the problems are, for the line that ends a kind's telling: "malformed
   *     datagrams"
   * @param label the words after a count of that kind: "with a bad set"
   */
  public ProblemDigest(
      Class<K> kinds, int toldPerKind, String noun, Function<K, String> label, Sink sink) {
    this.toldPerKind = toldPerKind;
    this.noun = noun;
    this.label = label;
    this.sink = sink;
    this.counts = new EnumMap<>(kinds);
    for (K k : kinds.getEnumConstants()) {
      counts.put(k, new long[1]);
    }
  }

  /**
   * Counts a problem of {@code kind}; tells {@code text} while fewer than the limit of that kind
   * were told.
   */
  public void add(K kind, String text) {
    long n = ++counts.get(kind)[0];
    if (n <= toldPerKind) {
      sink.problem(text);
      if (n == toldPerKind) {
        sink.problem("further " + noun + " " + label.apply(kind) + " are counted, not listed");
      }
    }
  }

  public long count(K kind) {
    return counts.get(kind)[0];
  }

  public long total() {
    long total = 0;
    for (long[] c : counts.values()) {
      total += c[0];
    }
    return total;
  }

  /**
   * The counts of the kinds that occurred, e.g. "3 not NetFlow/IPFIX, 2 with a bad set"; empty if
   * none did.
   */
  public String summary() {
    StringJoiner s = new StringJoiner(", ");
    for (Map.Entry<K, long[]> e : counts.entrySet()) {
      if (e.getValue()[0] > 0) {
        s.add(String.format(Locale.ROOT, "%,d %s", e.getValue()[0], label.apply(e.getKey())));
      }
    }
    return s.toString();
  }
}
