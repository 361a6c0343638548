package org.minewatch.attribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Messages about one input, kept up to a limit per kind and counted beyond it: a registry of
 * 100,000 nested ranges, or of records without an address, gives the first few of each kind in full
 * and then one line saying how many more there were, instead of a line for every record.
 */
public final class Notices {
  /** Messages shown in full per kind. */
  public static final int SHOWN_PER_KIND = 20;

  private final String prefix;
  private final int limit;
  private final List<String> shown = new ArrayList<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();

  /**
   * @param prefix starts each summary line, e.g. "units.csv: "
   */
  public Notices(String prefix) {
    this(prefix, SHOWN_PER_KIND);
  }

  public Notices(String prefix, int limit) {
    this.prefix = prefix;
    this.limit = limit;
  }

  /**
   * Adds a message; beyond the limit of its kind it is only counted (and never built).
   *
   * @param kind the messages of this kind as the summary line names them after "N more", e.g.
   *     "lines without an address; they were imported"
   */
  public void add(String kind, Supplier<String> message) {
    if (counts.merge(kind, 1L, Long::sum) <= limit) {
      shown.add(message.get());
    }
  }

  public void add(String kind, String message) {
    add(kind, () -> message);
  }

  /** How many messages were added, shown or not. */
  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** How many of one kind were added. */
  public long count(String kind) {
    return counts.getOrDefault(kind, 0L);
  }

  /**
   * The messages shown, in the order added, then for each kind that had more: "PREFIX N more KIND".
   */
  public List<String> lines() {
    List<String> out = new ArrayList<>(shown);
    counts.forEach(
        (kind, n) -> {
          if (n > limit) {
            out.add(String.format(Locale.ROOT, "%s%,d more %s", prefix, n - limit, kind));
          }
        });
    return List.copyOf(out);
  }
}
