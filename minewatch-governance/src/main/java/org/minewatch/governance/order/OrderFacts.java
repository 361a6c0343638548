package org.minewatch.governance.order;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * Everything an order document shows. The document is rendered from this alone, so what was issued
 * can be re-rendered identically from the stored facts.
 *
 * @param orderNumber e.g. {@code MW-2026-000042}
 * @param hosts the mining hosts' addresses
 * @param evidence evidence sentences; the document lists the first {@link #MAX_EVIDENCE_SHOWN}
 * @param energy the estimate in kWh per day, or null
 * @param price required for {@link OrderKind#PRICE}, else null
 * @param powerCut required for {@link OrderKind#POWER_CUT}, else null
 * @param summons required for {@link OrderKind#SUMMONS}, else null
 * @param deadline by when the unit (or grid company) must comply, or null
 * @param note free text shown at the end, or null
 */
public record OrderFacts(
    String orderNumber,
    OrderKind kind,
    OffsetDateTime issuedAt,
    Official issuedBy,
    String caseNumber,
    Unit unit,
    List<String> hosts,
    List<String> evidence,
    Assessment assessment,
    EnergyEstimate energy,
    PriceComputation price,
    PowerCut powerCut,
    Summons summons,
    LocalDate deadline,
    String note) {

  /** More than this many evidence sentences are summarised as "n more, see the case file". */
  public static final int MAX_EVIDENCE_SHOWN = 10;

  public OrderFacts {
    requireText(orderNumber, "orderNumber");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(issuedBy, "issuedBy");
    requireText(caseNumber, "caseNumber");
    Objects.requireNonNull(unit, "unit");
    hosts = List.copyOf(hosts == null ? List.of() : hosts);
    evidence = List.copyOf(evidence == null ? List.of() : evidence);
    Objects.requireNonNull(assessment, "assessment");
    if ((kind == OrderKind.PRICE) != (price != null)) {
      throw new IllegalArgumentException("price: required for a price order and only for one");
    }
    if ((kind == OrderKind.POWER_CUT) != (powerCut != null)) {
      throw new IllegalArgumentException(
          "powerCut: required for a power-cut order and only for one");
    }
    if ((kind == OrderKind.SUMMONS) != (summons != null)) {
      throw new IllegalArgumentException("summons: required for a summons notice and only for one");
    }
    if (price != null && !price.policy().appliesIn(unit.regionCode())) {
      // A provincial surcharge applied to a unit in another province is a mistake worth stopping.
      throw new IllegalArgumentException(
          "price: policy "
              + price.policy().id()
              + " is for region "
              + price.policy().regionCode()
              + ", the unit is in "
              + unit.regionCode());
    }
  }

  /** Who signs the order. */
  public record Official(String name, String role) {
    public Official {
      requireText(name, "issuedBy.name");
      requireText(role, "issuedBy.role");
    }
  }

  /**
   * The unit the case is about.
   *
   * @param creditCode the unified social credit code (统一社会信用代码), or null for a person
   * @param category e.g. "企业", "数据中心", "高校"
   * @param regionCode six-digit administrative division code
   */
  public record Unit(
      String name,
      String creditCode,
      String category,
      String regionCode,
      String regionName,
      String address) {
    public Unit {
      requireText(name, "unit.name");
      requireText(regionCode, "unit.regionCode");
    }
  }

  /** The regulator's reading of the case. */
  public record Assessment(Verdict verdict, List<String> reasons) {
    public Assessment {
      Objects.requireNonNull(verdict, "assessment.verdict");
      reasons = List.copyOf(reasons == null ? List.of() : reasons);
    }
  }

  /** Whether the unit mined on purpose. */
  public enum Verdict {
    /** Its hosts were taken over by others who installed the miner. */
    COMPROMISED("compromised"),
    DELIBERATE("deliberate"),
    UNDETERMINED("undetermined");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** Energy use in kWh per day. */
  public record EnergyEstimate(double low, double best, double high) {
    public EnergyEstimate {
      if (!(low >= 0 && low <= best && best <= high && Double.isFinite(high))) {
        throw new IllegalArgumentException(
            "energy: needs 0 <= low <= best <= high, got " + low + ", " + best + ", " + high);
      }
    }
  }

  /**
   * An order to the grid company to disconnect the supply.
   *
   * @param gridCompany the addressee, e.g. "国网内蒙古东部电力有限公司"; null for a generic address
   * @param accountNumber the electricity account (户号)
   */
  public record PowerCut(
      String gridCompany,
      String accountNumber,
      String supplyAddress,
      LocalDate effectiveDate,
      String reason) {
    public PowerCut {
      requireText(accountNumber, "powerCut.accountNumber");
      requireText(supplyAddress, "powerCut.supplyAddress");
      Objects.requireNonNull(effectiveDate, "powerCut.effectiveDate");
      requireText(reason, "powerCut.reason");
    }
  }

  /** A summons to a meeting. */
  public record Summons(
      LocalDateTime at, String place, List<String> attendees, List<String> topics) {
    public Summons {
      Objects.requireNonNull(at, "summons.at");
      requireText(place, "summons.place");
      attendees = List.copyOf(attendees == null ? List.of() : attendees);
      topics = List.copyOf(topics == null ? List.of() : topics);
      if (attendees.isEmpty()) {
        throw new IllegalArgumentException("summons.attendees: name who must attend");
      }
    }
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": required");
    }
  }
}
