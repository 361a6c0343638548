package org.minewatch.probe;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Endpoint;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

/**
 * The endpoints worth confirming: the servers of miners that behaviour (an encrypted or opaque
 * connection shaped like mining) or flow records made {@code likely} or {@code suspect}. A miner
 * already {@code mining} needs no probe; a pool's own finding names its miners, not its port.
 */
public final class ProbeCandidates {
  private static final Set<String> FLOW_RECORD_SOURCES = Set.of("ipfix", "nfdump", "flow-export");

  private ProbeCandidates() {}

  public static List<Endpoint> of(List<Finding> findings) {
    Set<Endpoint> out = new LinkedHashSet<>();
    for (Finding f : findings) {
      if (f.role() == Role.MINER
          && (f.verdict() == Verdict.LIKELY || f.verdict() == Verdict.SUSPECT)
          && (f.protocol() == Protocol.MINING_BEHAVIOUR || fromFlowRecords(f))) {
        out.addAll(f.peers());
      }
    }
    return List.copyOf(out);
  }

  private static boolean fromFlowRecords(Finding f) {
    if (f.source() == null) {
      return false;
    }
    for (String s : f.source().split(",")) {
      if (FLOW_RECORD_SOURCES.contains(s)) {
        return true;
      }
    }
    return false;
  }
}
