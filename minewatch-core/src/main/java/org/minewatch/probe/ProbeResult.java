package org.minewatch.probe;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.minewatch.model.Endpoint;

/**
 * What probing one endpoint found.
 *
 * @param time when the probe began
 * @param confirmation what made it a pool, or null if nothing answered as a pool does
 * @param attempts one line per connection made, e.g. "stratum-v1 over TLS: TLS handshake failed
 *     (...)"
 */
public record ProbeResult(
    Endpoint endpoint, Instant time, Confirmation confirmation, List<String> attempts) {

  public ProbeResult {
    time = time.truncatedTo(ChronoUnit.SECONDS);
    attempts = List.copyOf(attempts);
  }

  public boolean pool() {
    return confirmation != null;
  }

  /** The evidence sentence for hosts talking to a confirmed pool; null if it is none. */
  public String sentence() {
    if (confirmation == null) {
      return null;
    }
    Confirmation c = confirmation;
    // Escaped again: a result read back from a hand-edited file has not passed the probe's
    // boundary.
    return ProbeText.escape(
        "pool "
            + endpoint
            + " confirmed by probe at "
            + time
            + " ("
            + c.protocol().label()
            + ", "
            + c.wire().label()
            + ", answered: "
            + c.answer()
            + (c.clue() != null ? "; " + c.clue() : "")
            + (c.certificateSha256() != null
                ? "; certificate SHA-256 " + c.certificateSha256()
                : "")
            + ")");
  }

  /** One line for a person: the verdict and how it was reached. */
  public String summary() {
    return endpoint
        + " "
        + (pool()
            ? sentence()
            : "not a pool (probed at "
                + time
                + "): "
                + (attempts.isEmpty()
                    ? "no connection made"
                    : ProbeText.escape(String.join("; ", attempts))));
  }
}
