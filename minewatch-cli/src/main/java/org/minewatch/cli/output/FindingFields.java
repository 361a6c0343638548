package org.minewatch.cli.output;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.minewatch.evidence.Finding;

/** The output names and renderings of a finding's fields, shared by every format. */
final class FindingFields {
  static final String[] COLUMNS = {
      "host", "role", "verdict", "coin", "protocol", "peers", "login", "worker", "agent", "first_seen", "last_seen",
      "flows", "bytes", "evidence"};

  private FindingFields() {}

  static String time(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
  }

  static String coin(Finding f) {
    return f.coin() == null ? null : f.coin().label();
  }

  static String protocol(Finding f) {
    return f.protocol() == null ? null : f.protocol().label();
  }
}
