package org.minewatch.governance.tipoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.audit.AuditLog;
import org.minewatch.governance.cases.CaseViews;

/** Tip-offs (举报): filed without login, tracked by code, triaged by officers. */
class TipOffsTest extends GovernanceTestBase {
  static final byte[] JPEG = {
    (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'
  };
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
  static final byte[] PDF = "%PDF-1.7\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1);
  static final byte[] TEXT = "机房在地下一层，晚上噪音很大".getBytes(StandardCharsets.UTF_8);

  /** An executable: the name says .jpg, the bytes say otherwise. */
  static final byte[] ELF = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0};

  static TipOffs.Submission submission(
      String category, String description, List<TipOffs.Attachment> files) {
    return new TipOffs.Submission(
        category, "南京市鼓楼区示例路22号 3 号楼地下室", "示例大学", description, "138-0000-0000", files);
  }

  private String file() {
    return gov.fileTipOff(
        submission("hidden-mining", "a room of servers running day and night", List.of()),
        "203.0.113.9");
  }

  private long id(String code) {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("select id from tipoffs where code = :c")
                    .bind("c", code)
                    .mapTo(Long.class)
                    .one());
  }

  @Test
  void aTipOffGetsAnUnguessableCodeThatShowsTheStatusOnly() {
    String code =
        gov.fileTipOff(
            submission(
                " Hidden-Mining ",
                "a room of servers running day and night",
                List.of(new TipOffs.Attachment("photo.jpg", JPEG))),
            "203.0.113.9");

    assertThat(code).matches("TO-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{20}");
    assertThat(gov.tipOffStatus(code))
        .contains(
            Map.of(
                "code",
                code,
                "status",
                "received",
                "received_at",
                START.toString(),
                "updated_at",
                START.toString()));
    assertThat(gov.tipOffStatus("TO-00000000000000000000")).isEmpty();
    assertThat(gov.tipOffStatus(code.toLowerCase(java.util.Locale.ROOT))).isEmpty();
    assertThat(gov.tipOffStatus("' or 1=1 --")).isEmpty();
    assertThat(gov.tipOffStatus(null)).isEmpty();
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::actor, AuditLog.Entry::action, AuditLog.Entry::detail)
        .containsExactly("public", "tipoff.file", "category hidden-mining, from 203.0.113.9");
    // Codes differ, tip-off after tip-off.
    assertThat(file()).isNotEqualTo(code).matches("TO-[0-9A-Z]{20}");
  }

  @Test
  void officersSeeTheTipOffTheContactOnlyWhereTheyFollowItUp() {
    String code =
        gov.fileTipOff(
            submission(
                "renting-to-miners",
                "they rent racks to miners",
                List.of(
                    new TipOffs.Attachment("photo.jpg", JPEG),
                    new TipOffs.Attachment("scan.png", PNG),
                    new TipOffs.Attachment("bill.pdf", PDF),
                    new TipOffs.Attachment(null, TEXT))),
            "203.0.113.9");

    List<TipOffs.View> admin = gov.listTipOffs(ADMIN);
    assertThat(admin)
        .singleElement()
        .extracting(
            TipOffs.View::code,
            TipOffs.View::category,
            TipOffs.View::unit,
            TipOffs.View::description,
            TipOffs.View::contact,
            TipOffs.View::status,
            TipOffs.View::attachments)
        .containsExactly(
            code,
            "renting-to-miners",
            "示例大学",
            "they rent racks to miners",
            "138-0000-0000",
            "received",
            List.of("photo.jpg", "scan.png", "bill.pdf", "attachment-4"));
    assertThat(gov.listTipOffs(NANJING))
        .singleElement()
        .extracting(TipOffs.View::contact)
        .isEqualTo("138-0000-0000");
    assertThat(gov.listTipOffs(AUDITOR)).singleElement().extracting(TipOffs.View::contact).isNull();
    assertThat(problem(() -> gov.listTipOffs(REGULATOR)).kind()).isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(problem(() -> gov.listTipOffs(UNIT)).kind()).isEqualTo(Problem.Kind.FORBIDDEN);
    // The type is the one the bytes say, not the sender's.
    assertThat(rows("select name, content_type, size_bytes from attachments order by id"))
        .extracting(
            m -> m.get("name"),
            m -> m.get("content_type"),
            m -> ((Number) m.get("size_bytes")).intValue())
        .containsExactly(
            tuple("photo.jpg", "image/jpeg", JPEG.length),
            tuple("scan.png", "image/png", PNG.length),
            tuple("bill.pdf", "application/pdf", PDF.length),
            tuple("attachment-4", "text/plain", TEXT.length));
  }

  @Test
  void whatATipOffNeedsAndWhatItMayNotCarry() {
    assertThat(problem(() -> gov.fileTipOff(submission("crypto", "x", List.of()), "c")).field())
        .isEqualTo("category");
    assertThat(problem(() -> gov.fileTipOff(submission(null, "x", List.of()), "c")).field())
        .isEqualTo("category");
    assertThat(problem(() -> gov.fileTipOff(submission("other", "  ", List.of()), "c")).field())
        .isEqualTo("description");
    assertThat(problem(() -> gov.fileTipOff(submission("other", null, List.of()), "c")).field())
        .isEqualTo("description");
    assertThat(
            problem(
                    () ->
                        gov.fileTipOff(
                            new TipOffs.Submission("other", null, null, "x", null, null), "c"))
                .field())
        .isEqualTo("address");
    assertThat(
            problem(
                    () ->
                        gov.fileTipOff(
                            submission("other", "x".repeat(TipOffs.MAX_DESCRIPTION + 1), List.of()),
                            "c"))
                .field())
        .isEqualTo("description");

    Problem elf =
        problem(
            () ->
                gov.fileTipOff(
                    submission("other", "x", List.of(new TipOffs.Attachment("photo.jpg", ELF))),
                    "c"));
    assertThat(elf.kind()).isEqualTo(Problem.Kind.INVALID);
    assertThat(elf.field()).isEqualTo("attachments");
    assertThat(elf.getMessage())
        .isEqualTo("attachments: photo.jpg is not a JPEG, PNG, PDF or plain text file");

    List<TipOffs.Attachment> six = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      six.add(new TipOffs.Attachment("p" + i + ".jpg", JPEG));
    }
    assertThat(problem(() -> gov.fileTipOff(submission("other", "x", six), "c")).kind())
        .isEqualTo(Problem.Kind.TOO_LARGE);
    byte[] big = Arrays.copyOf(JPEG, TipOffs.MAX_ATTACHMENT_BYTES + 1);
    assertThat(
            problem(
                    () ->
                        gov.fileTipOff(
                            submission(
                                "other", "x", List.of(new TipOffs.Attachment("big.jpg", big))),
                            "c"))
                .kind())
        .isEqualTo(Problem.Kind.TOO_LARGE);
    // Five attachments are fine.
    assertThat(gov.fileTipOff(submission("other", "x", six.subList(0, 5)), "c")).startsWith("TO-");
    assertThat(count("tipoffs")).isEqualTo(1);
    assertThat(count("attachments")).isEqualTo(5);
  }

  @Test
  void linkingToACaseShowsOnTheCaseAndInTheStatus() {
    sampleCases();
    long c = caseOf("10.20.1.15");
    String code = file();
    clock.advance(Duration.ofHours(3));

    TipOffs.View v = gov.triageTipOff(NANJING, id(code), "link", c, null, null);

    assertThat(v)
        .extracting(
            TipOffs.View::status,
            TipOffs.View::caseId,
            TipOffs.View::triagedBy,
            TipOffs.View::triagedAt,
            TipOffs.View::contact)
        .containsExactly("linked", c, "nanjing", clock.instant(), "138-0000-0000");
    assertThat(gov.tipOffStatus(code))
        .contains(
            Map.of(
                "code",
                code,
                "status",
                "linked",
                "received_at",
                START.toString(),
                "updated_at",
                clock.instant().toString()));
    assertThat(detail(c).history())
        .last()
        .extracting(CaseViews.Event::actor, CaseViews.Event::kind, CaseViews.Event::note)
        .containsExactly("nanjing", "tipoff", "tip-off " + id(code) + " linked");
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::action, AuditLog.Entry::detail)
        .containsExactly("tipoff.triage", "linked case " + c);

    // Triaged once only.
    Problem again =
        problem(() -> gov.triageTipOff(NANJING, id(code), "reject", null, "duplicate", null));
    assertThat(again.kind()).isEqualTo(Problem.Kind.CONFLICT);
    assertThat(gov.tipOffStatus(code).orElseThrow().get("status")).isEqualTo("linked");
  }

  @Test
  void linkingNeedsACaseInTheOfficersRegion() {
    sampleCases();
    String code = file();
    long audit = count("audit");

    assertThat(problem(() -> gov.triageTipOff(NANJING, id(code), "link", null, null, null)).field())
        .isEqualTo("case_id");
    Problem p =
        problem(() -> gov.triageTipOff(SUZHOU, id(code), "link", caseOf("10.20.1.15"), null, null));
    assertThat(p.kind()).isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(count("audit")).isEqualTo(audit + 1);
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::actor, AuditLog.Entry::action, AuditLog.Entry::subject)
        .containsExactly("suzhou", "denied", "tipoff " + id(code));
    assertThat(problem(() -> gov.triageTipOff(NANJING, id(code), "link", 999L, null, null)).kind())
        .isEqualTo(Problem.Kind.NOT_FOUND);
    assertThat(gov.tipOffStatus(code).orElseThrow().get("status")).isEqualTo("received");
  }

  @Test
  void openingACaseFromATipOff() {
    sampleCases();
    String code = file();

    TipOffs.View v = gov.triageTipOff(NANJING, id(code), "open-case", null, null, null);

    assertThat(v.status()).isEqualTo("case-opened");
    CaseViews.Summary s = detail(v.caseId()).summary();
    assertThat(s)
        .extracting(
            CaseViews.Summary::number,
            CaseViews.Summary::state,
            CaseViews.Summary::regionCode,
            CaseViews.Summary::unitName,
            CaseViews.Summary::hosts)
        .containsExactly("MW-2026-000004", "detected", "320100", null, 0);
    assertThat(gov.listCases(NANJING, org.minewatch.governance.cases.CaseQuery.all()).cases())
        .extracting(CaseViews.Summary::number)
        .contains("MW-2026-000004");
    assertThat(gov.tipOffStatus(code).orElseThrow().get("status")).isEqualTo("case-opened");

    // Nanjing's officer opens no case in Suzhou; the province's administrator names the region.
    String second = file();
    assertThat(
            problem(() -> gov.triageTipOff(NANJING, id(second), "open-case", null, null, "320500"))
                .kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::actor, AuditLog.Entry::action, AuditLog.Entry::detail)
        .containsExactly(
            "nanjing",
            "denied",
            "triage_tipoff open-case by role regional-officer: region 320500 is "
                + "outside nanjing's region");
    assertThat(
            problem(() -> gov.triageTipOff(ADMIN, id(second), "open-case", null, null, "3205"))
                .field())
        .isEqualTo("region");
    TipOffs.View suzhou = gov.triageTipOff(ADMIN, id(second), "open-case", null, null, "320500");
    assertThat(detail(suzhou.caseId()).summary().regionCode()).isEqualTo("320500");
    assertThat(count("cases")).isEqualTo(5);
  }

  @Test
  void rejectingNeedsAReason() {
    String code = file();
    Problem p = problem(() -> gov.triageTipOff(ADMIN, id(code), "reject", null, " ", null));
    assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
    assertThat(p.field()).isEqualTo("reason");
    assertThat(problem(() -> gov.triageTipOff(ADMIN, id(code), "ignore", null, null, null)).field())
        .isEqualTo("action");
    assertThat(
            problem(() -> gov.triageTipOff(AUDITOR, id(code), "reject", null, "no", null)).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);

    TipOffs.View v =
        gov.triageTipOff(ADMIN, id(code), "reject", null, "the address is a bakery", null);

    assertThat(v)
        .extracting(TipOffs.View::status, TipOffs.View::reason)
        .containsExactly("rejected", "the address is a bakery");
    assertThat(gov.tipOffStatus(code).orElseThrow())
        .containsOnlyKeys("code", "status", "received_at", "updated_at")
        .containsEntry("status", "rejected");
    assertThat(
            problem(() -> gov.triageTipOff(ADMIN, id(code), "open-case", null, null, "320100"))
                .kind())
        .isEqualTo(Problem.Kind.CONFLICT);
    assertThat(count("cases")).isZero();
  }
}
