package org.minewatch.cli.live;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.minewatch.cli.output.FindingWriter;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Verdict;

/**
 * Prints findings of a live source (a collector, an interface) as they are made: a host in a role
 * when it is first found, and again when its verdict grows stronger. Nothing else is repeated.
 */
public final class LiveFindings {
  private final Map<String, Verdict> printed = new HashMap<>();
  private final boolean json;

  /**
   * @param json JSON lines (as {@code scan -f jsonl}) rather than one readable line each
   */
  public LiveFindings(boolean json) {
    this.json = json;
  }

  /** Prints what is new among {@code findings}; returns what was printed. */
  public List<Finding> printNew(List<Finding> findings, Writer out) throws IOException {
    List<Finding> fresh = new ArrayList<>();
    for (Finding f : findings) {
      String key = f.host() + "|" + f.role().label();
      Verdict before = printed.get(key);
      // Verdicts are ordered strongest first.
      if (before == null || f.verdict().compareTo(before) < 0) {
        printed.put(key, f.verdict());
        fresh.add(f);
      }
    }
    if (json) {
      FindingWriter.of("jsonl").write(fresh, List.of(), out);
    } else {
      for (Finding f : fresh) {
        out.write(line(f));
        out.write('\n');
      }
    }
    out.flush();
    return fresh;
  }

  private static String line(Finding f) {
    StringBuilder b = new StringBuilder();
    b.append(f.verdict().label()).append(' ').append(f.role().label()).append(' ').append(f.host());
    if (f.protocol() != null) {
      b.append(' ').append(f.protocol().label());
    }
    if (f.coin() != null) {
      b.append(' ').append(f.coin().label());
    }
    if (!f.peers().isEmpty()) {
      b.append(" with ").append(f.peers().get(0)).append(f.peers().size() > 1 ? " and others" : "");
    }
    if (f.poolName() != null) {
      b.append(" (").append(f.poolName()).append(')');
    }
    if (!f.evidence().isEmpty()) {
      b.append(": ").append(f.evidence().get(0));
    }
    return b.toString();
  }
}
