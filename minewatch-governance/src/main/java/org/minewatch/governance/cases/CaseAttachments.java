package org.minewatch.governance.cases;

import java.time.Clock;
import org.jdbi.v3.core.Handle;
import org.minewatch.governance.Problem;
import org.minewatch.governance.store.Times;
import org.minewatch.governance.tipoff.TipOffs;
import org.minewatch.governance.user.User;

/**
 * Files kept with a case: photos of an inspection, a unit's self-inspection report, proof of
 * rectification. The same limits and types as a tip-off's attachments, read from the bytes.
 */
public final class CaseAttachments {
  private final Clock clock;
  private final CaseStore cases;

  public CaseAttachments(Clock clock, CaseStore cases) {
    this.clock = clock;
    this.cases = cases;
  }

  /** A stored file and its type. */
  public record File(long caseId, String name, String contentType, byte[] content) {}

  public long add(Handle h, long caseId, User actor, String name, byte[] content) {
    if (content == null || content.length == 0) {
      throw Problem.invalid("file", "is empty");
    }
    if (content.length > TipOffs.MAX_ATTACHMENT_BYTES) {
      throw Problem.tooLarge("a file of at most 5 MiB");
    }
    String type = TipOffs.contentType(content);
    if (type == null) {
      throw Problem.invalid("file", "not a JPEG, PNG, PDF or plain text file");
    }
    String clean =
        name == null || name.isBlank()
            ? "attachment"
            : name.strip().replaceAll("[\\p{Cntrl}/\\\\]", "_");
    if (clean.length() > 300) {
      clean = clean.substring(0, 300);
    }
    var now = clock.instant();
    long id =
        h.createUpdate(
                "insert into attachments (case_id, name, content_type, size_bytes, sha256, content, "
                    + "added_at, added_by) values (:c, :n, :t, :s, :sha, :content, :now, :by)")
            .bind("c", caseId)
            .bind("n", clean)
            .bind("t", type)
            .bind("s", content.length)
            .bind("sha", TipOffs.sha256(content))
            .bind("content", content)
            .bind("now", Times.bind(now))
            .bind("by", actor.name())
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
    cases.event(
        h,
        caseId,
        now,
        actor.name(),
        "attachment",
        null,
        null,
        "file " + clean + " (" + type + ", " + content.length + " bytes) attached",
        null);
    return id;
  }

  public File get(Handle h, long id) {
    return h.createQuery(
            "select case_id, name, content_type, content from attachments where id = :id and case_id "
                + "is not null")
        .bind("id", id)
        .map((rs, ctx) -> new File(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4)))
        .findFirst()
        .orElseThrow(() -> Problem.notFound("no case attachment " + id));
  }

  public long caseOf(Handle h, long id) {
    return h.createQuery("select case_id from attachments where id = :id and case_id is not null")
        .bind("id", id)
        .mapTo(Long.class)
        .findFirst()
        .orElseThrow(() -> Problem.notFound("no case attachment " + id));
  }
}
