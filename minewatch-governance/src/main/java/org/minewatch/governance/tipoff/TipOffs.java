package org.minewatch.governance.tipoff;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.minewatch.governance.Problem;
import org.minewatch.governance.store.Times;

/**
 * Public reports of suspected mining (举报). The tipster gets a tracking code of 100 random bits,
 * which shows the status and nothing else. Attachments are limited in number, size and type, and
 * the type is read from the bytes, not taken from the sender.
 */
public final class TipOffs {
  public static final List<String> CATEGORIES =
      List.of(
          "disguised-data-centre", "hidden-mining", "renting-to-miners", "illegal-power", "other");
  public static final int MAX_ATTACHMENTS = 5;
  public static final int MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
  public static final int MAX_DESCRIPTION = 5000;
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;

  public TipOffs(Clock clock) {
    this.clock = clock;
  }

  /** A file sent with a tip-off. */
  public record Attachment(String name, byte[] content) {}

  /** What the tipster sent. */
  public record Submission(
      String category,
      String address,
      String unit,
      String description,
      String contact,
      List<Attachment> attachments) {}

  /** A tip-off as officers see it; {@code contact} is null for roles that may not see it. */
  public record View(
      long id,
      String code,
      String category,
      String address,
      String unit,
      String description,
      String contact,
      Instant receivedAt,
      String status,
      Long caseId,
      String reason,
      String triagedBy,
      Instant triagedAt,
      List<String> attachments) {}

  /** Files the tip-off in the caller's transaction and returns its id and tracking code. */
  public Map.Entry<Long, String> file(Handle h, Submission s, String client) {
    String category = s.category() == null ? null : s.category().strip().toLowerCase(Locale.ROOT);
    // List.of(...).contains(null) throws: a missing category must be refused like a wrong one.
    if (category == null || !CATEGORIES.contains(category)) {
      throw Problem.invalid("category", "one of " + String.join(", ", CATEGORIES));
    }
    String address = text("address", s.address(), 1000, true);
    String unit = text("unit", s.unit(), 500, false);
    String description = text("description", s.description(), MAX_DESCRIPTION, true);
    String contact = text("contact", s.contact(), 500, false);
    List<Attachment> files = s.attachments() == null ? List.of() : s.attachments();
    if (files.size() > MAX_ATTACHMENTS) {
      throw Problem.tooLarge("at most " + MAX_ATTACHMENTS + " attachments");
    }
    String[] types = new String[files.size()];
    for (int i = 0; i < files.size(); i++) {
      Attachment a = files.get(i);
      if (a.content().length > MAX_ATTACHMENT_BYTES) {
        throw Problem.tooLarge("attachment " + a.name() + " is larger than 5 MiB");
      }
      types[i] = contentType(a.content());
      if (types[i] == null) {
        throw Problem.invalid(
            "attachments", a.name() + " is not a JPEG, PNG, PDF or plain text file");
      }
    }
    Instant now = clock.instant();
    String code = newCode();
    long id =
        h.createUpdate(
                "insert into tipoffs (code, category, address, unit_name, description, contact, client, "
                    + "received_at, status) values (:code, :cat, :addr, :unit, :desc, :contact, :client, :now, 'received')")
            .bind("code", code)
            .bind("cat", category)
            .bind("addr", address)
            .bind("unit", unit)
            .bind("desc", description)
            .bind("contact", contact)
            .bind("client", client)
            .bind("now", Times.bind(now))
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
    for (int i = 0; i < files.size(); i++) {
      Attachment a = files.get(i);
      String name =
          a.name() == null || a.name().isBlank() ? "attachment-" + (i + 1) : a.name().strip();
      h.createUpdate(
              "insert into attachments (tipoff_id, name, content_type, size_bytes, sha256, content, added_at, "
                  + "added_by) values (:t, :n, :ct, :size, :sha, :content, :now, 'tipster')")
          .bind("t", id)
          .bind("n", name.length() > 300 ? name.substring(0, 300) : name)
          .bind("ct", types[i])
          .bind("size", a.content().length)
          .bind("sha", sha256(a.content()))
          .bind("content", a.content())
          .bind("now", Times.bind(now))
          .execute();
    }
    return Map.entry(id, code);
  }

  /** The status a tracking code shows: the state and when it last changed; nothing else. */
  public Optional<Map<String, Object>> status(Handle h, String code) {
    if (code == null || !code.matches("TO-[0-9A-Z]{20}")) {
      return Optional.empty();
    }
    return h.createQuery("select status, received_at, triaged_at from tipoffs where code = :c")
        .bind("c", code)
        .map(
            (rs, ctx) ->
                Map.<String, Object>of(
                    "code",
                    code,
                    "status",
                    rs.getString("status"),
                    "received_at",
                    Times.read(rs, "received_at").toString(),
                    "updated_at",
                    (Times.read(rs, "triaged_at") == null
                            ? Times.read(rs, "received_at")
                            : Times.read(rs, "triaged_at"))
                        .toString()))
        .findFirst();
  }

  public List<View> list(Handle h, boolean withContact) {
    return h.createQuery("select * from tipoffs order by id desc limit 1000")
        .map((rs, ctx) -> view(h, rs, withContact))
        .list();
  }

  public Optional<View> get(Handle h, long id, boolean withContact) {
    return h.createQuery("select * from tipoffs where id = :id")
        .bind("id", id)
        .map((rs, ctx) -> view(h, rs, withContact))
        .findFirst();
  }

  /** A tip-off's file as the officers download it. */
  public record File(String name, String contentType, byte[] content) {}

  /**
   * The {@code n}th (from 1) attachment of a tip-off, in the order {@link View#attachments()} lists
   * them.
   */
  public Optional<File> attachment(Handle h, long tipoffId, int n) {
    if (n < 1) {
      return Optional.empty();
    }
    return h.createQuery(
            "select name, content_type, content from attachments where tipoff_id = :t order by id "
                + "limit 1 offset :o")
        .bind("t", tipoffId)
        .bind("o", n - 1)
        .map((rs, ctx) -> new File(rs.getString(1), rs.getString(2), rs.getBytes(3)))
        .findFirst();
  }

  /**
   * Triage: {@code linked} to an existing case, {@code case-opened} with a new case, or {@code
   * rejected} with a reason.
   */
  public void triage(Handle h, long id, String status, Long caseId, String reason, String actor) {
    if (!List.of("linked", "case-opened", "rejected").contains(status)) {
      throw Problem.invalid("action", "one of link, open-case, reject");
    }
    if (status.equals("rejected") && (reason == null || reason.isBlank())) {
      throw Problem.invalid("reason", "a rejection needs a reason");
    }
    int n =
        h.createUpdate(
                "update tipoffs set status = :s, case_id = :c, reason = :r, triaged_by = :by, triaged_at = :now "
                    + "where id = :id and status = 'received'")
            .bind("s", status)
            .bind("c", caseId)
            .bind("r", reason)
            .bind("by", actor)
            .bind("now", Times.bind(clock.instant()))
            .bind("id", id)
            .execute();
    if (n == 0) {
      throw Problem.conflict("tip-off " + id + " does not exist or was triaged already");
    }
  }

  private View view(Handle h, java.sql.ResultSet rs, boolean withContact)
      throws java.sql.SQLException {
    long id = rs.getLong("id");
    long caseId = rs.getLong("case_id");
    Long c = rs.wasNull() ? null : caseId;
    return new View(
        id,
        rs.getString("code"),
        rs.getString("category"),
        rs.getString("address"),
        rs.getString("unit_name"),
        rs.getString("description"),
        withContact ? rs.getString("contact") : null,
        Times.read(rs, "received_at"),
        rs.getString("status"),
        c,
        rs.getString("reason"),
        rs.getString("triaged_by"),
        Times.read(rs, "triaged_at"),
        h.createQuery("select name from attachments where tipoff_id = :t order by id")
            .bind("t", id)
            .mapTo(String.class)
            .list());
  }

  private static String text(String field, String v, int max, boolean required) {
    if (v == null || v.isBlank()) {
      if (required) {
        throw Problem.invalid(field, "is required");
      }
      return null;
    }
    if (v.length() > max) {
      throw Problem.invalid(field, "at most " + max + " characters");
    }
    return v.strip();
  }

  /** The type the bytes say, among those accepted; null for anything else. */
  public static String contentType(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return "image/jpeg";
    }
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return "image/png";
    }
    if (b.length >= 5 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F' && b[4] == '-') {
      return "application/pdf";
    }
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
      for (byte x : b) {
        if (x == 0) {
          return null;
        }
      }
      return "text/plain";
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  private static String newCode() {
    StringBuilder b = new StringBuilder("TO-");
    for (int i = 0; i < 20; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  public static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
