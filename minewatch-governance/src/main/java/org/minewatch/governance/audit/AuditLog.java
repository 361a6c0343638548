package org.minewatch.governance.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The append-only audit trail. Each entry's hash is SHA-256 over the previous entry's hash and the
 * entry's own fields (each length-prefixed, so no two entries encode alike); editing, deleting or
 * inserting an entry anywhere breaks every hash after it, and {@link #verify} names the first.
 * Entries are written in the transaction of the change they record: no change without its entry.
 */
public final class AuditLog {
  public static final String GENESIS = "0".repeat(64);
  private static final int PAGE = 1000;

  private AuditLog() {}

  /** One entry as stored. */
  public record Entry(
      long seq,
      String at,
      String actor,
      String action,
      String subject,
      String detail,
      String prevHash,
      String hash) {}

  /** The outcome of recomputing the chain. */
  public record Verification(boolean intact, long entries, Long firstBroken, String reason) {}

  /**
   * Appends an entry after the current last one; the caller's transaction commits it with its
   * change.
   */
  public static Entry append(
      Handle h, Instant at, String actor, String action, String subject, String detail) {
    Optional<Entry> last =
        h.createQuery("select * from audit order by seq desc limit 1")
            .map(AuditLog::entry)
            .findFirst();
    long seq = last.map(e -> e.seq() + 1).orElse(1L);
    String prev = last.map(Entry::hash).orElse(GENESIS);
    String when = DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS));
    String d = detail == null ? "" : detail;
    // An entry is never refused for its length (a login attempt names whatever user it likes, an
    // export
    // its title): actor, action and subject are kept to their columns' widths, and hashed as kept.
    actor = clip(actor, 100);
    action = clip(action, 60);
    subject = clip(subject, 300);
    String hash = hash(prev, seq, when, actor, action, subject, d);
    h.createUpdate(
            "insert into audit (seq, at, actor, action, subject, detail, prev_hash, hash) "
                + "values (:seq, :at, :actor, :action, :subject, :detail, :prev, :hash)")
        .bind("seq", seq)
        .bind("at", when)
        .bind("actor", actor)
        .bind("action", action)
        .bind("subject", subject)
        .bind("detail", d)
        .bind("prev", prev)
        .bind("hash", hash)
        .execute();
    return new Entry(seq, when, actor, action, subject, d, prev, hash);
  }

  /** Recomputes the whole chain, page by page, and names the first entry that does not hold. */
  public static Verification verify(Jdbi jdbi) {
    return jdbi.withHandle(
        h -> {
          String prev = GENESIS;
          long expected = 1;
          long count = 0;
          while (true) {
            List<Entry> page =
                h.createQuery("select * from audit where seq >= :from order by seq limit " + PAGE)
                    .bind("from", expected)
                    .map(AuditLog::entry)
                    .list();
            for (Entry e : page) {
              if (e.seq() != expected) {
                return new Verification(
                    false,
                    count,
                    expected,
                    "entry " + expected + " is missing (next is " + e.seq() + ")");
              }
              if (!e.prevHash().equals(prev)) {
                return new Verification(
                    false,
                    count,
                    e.seq(),
                    "entry "
                        + e.seq()
                        + " does not follow entry "
                        + (e.seq() - 1)
                        + ": its previous hash differs");
              }
              String recomputed =
                  hash(
                      e.prevHash(),
                      e.seq(),
                      e.at(),
                      e.actor(),
                      e.action(),
                      e.subject(),
                      e.detail());
              if (!recomputed.equals(e.hash())) {
                return new Verification(
                    false,
                    count,
                    e.seq(),
                    "entry "
                        + e.seq()
                        + " was changed after it was written: "
                        + "its content no longer gives its hash");
              }
              prev = e.hash();
              expected++;
              count++;
            }
            if (page.size() < PAGE) {
              return new Verification(true, count, null, null);
            }
          }
        });
  }

  public static List<Entry> latest(Jdbi jdbi, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery("select * from audit order by seq desc limit " + Math.max(1, limit))
                .map(AuditLog::entry)
                .list());
  }

  private static String clip(String s, int max) {
    if (s == null) {
      return "";
    }
    if (s.length() <= max) {
      return s;
    }
    return s.substring(0, Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max);
  }

  static String hash(
      String prev,
      long seq,
      String at,
      String actor,
      String action,
      String subject,
      String detail) {
    StringBuilder b = new StringBuilder();
    for (String f : new String[] {prev, Long.toString(seq), at, actor, action, subject, detail}) {
      b.append(f.length()).append(':').append(f).append('\n');
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private static Entry entry(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    return new Entry(
        rs.getLong("seq"),
        rs.getString("at"),
        rs.getString("actor"),
        rs.getString("action"),
        rs.getString("subject"),
        rs.getString("detail"),
        rs.getString("prev_hash"),
        rs.getString("hash"));
  }
}
