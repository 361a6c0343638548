package org.minewatch.probe;

import java.util.List;
import java.util.Map;
import org.minewatch.model.Endpoint;

/**
 * How a scan asks whether servers are pools: given the candidates (the servers of suspects, then of
 * leads), it probes those it may and returns every pool confirmed so far, these or earlier.
 */
@FunctionalInterface
public interface PoolCheck {
  Map<Endpoint, ProbeResult> confirm(List<Endpoint> candidates);
}
