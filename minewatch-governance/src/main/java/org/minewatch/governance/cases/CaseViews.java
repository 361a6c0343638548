package org.minewatch.governance.cases;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.minewatch.attribution.assess.Reason;

/** What the case lists and the case page show. */
public final class CaseViews {
  private CaseViews() {}

  /**
   * A case as listed ({@link Reasons} renders its reasons). {@code kwhPerDay} is low, best, high
   * over its mining hosts, or null.
   */
  public record Summary(
      long id,
      String number,
      String state,
      int priority,
      boolean priorityList,
      List<Reason> priorityReasons,
      String unitName,
      String unitCode,
      String category,
      String regionCode,
      String region,
      String host,
      int hosts,
      double[] kwhPerDay,
      List<String> coins,
      String assessment,
      Instant openedAt,
      Instant stateSince,
      Instant deadline,
      boolean overdue,
      Instant lastMiningAt) {}

  /** One finding of a case with its evidence. */
  public record FindingView(
      long id,
      String host,
      String role,
      String verdict,
      String source,
      String protocol,
      String coin,
      String algorithm,
      String pool,
      String wallet,
      String login,
      String operation,
      Double hashrate,
      String hashrateUnit,
      double[] kwhPerDay,
      Instant firstSeen,
      Instant lastSeen,
      List<String> evidence) {}

  public record Event(
      long id,
      Instant at,
      String actor,
      String kind,
      String from,
      String to,
      String note,
      String data) {}

  public record Link(long caseId, String number, String unitName, String kind, String value) {}

  public record Task(
      long id,
      String title,
      String owner,
      Instant deadline,
      Instant createdAt,
      String createdBy,
      Instant doneAt,
      String doneBy) {}

  public record OrderView(
      long id,
      String number,
      String kind,
      Instant issuedAt,
      String issuedBy,
      BigDecimal amountLow,
      BigDecimal amountBest,
      BigDecimal amountHigh,
      String state,
      Instant executedAt,
      String executedBy) {}

  public record Alert(
      long id,
      long caseId,
      Instant at,
      String kind,
      String message,
      Instant acknowledgedAt,
      String acknowledgedBy) {}

  public record Attachment(
      long id,
      String name,
      String contentType,
      long size,
      String sha256,
      Instant addedAt,
      String addedBy) {}

  /**
   * The case page: the summary and everything behind it; {@code next} are the states the viewer may
   * move it to.
   */
  public record Detail(
      Summary summary,
      String unitAddress,
      String unitContact,
      List<Reason> assessmentReasons,
      List<String> hosts,
      List<FindingView> findings,
      List<Event> history,
      List<Link> linked,
      List<Task> tasks,
      List<OrderView> orders,
      List<Alert> alerts,
      List<Attachment> attachments,
      List<String> next) {}
}
