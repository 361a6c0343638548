package org.minewatch.governance.order;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.minewatch.governance.order.DocumentModel.Block;
import org.minewatch.governance.order.DocumentModel.Bullets;
import org.minewatch.governance.order.DocumentModel.Field;
import org.minewatch.governance.order.DocumentModel.Fields;
import org.minewatch.governance.order.DocumentModel.Paragraph;
import org.minewatch.governance.order.DocumentModel.Section;
import org.minewatch.governance.order.DocumentModel.Subheading;
import org.minewatch.governance.order.DocumentModel.Table;

/** Decides what an order document says, in one language: the facts laid out in sections. */
final class DocumentContent {
  private final OrderMessages m;
  private final OrderFacts f;
  private final boolean zh;

  private DocumentContent(OrderFacts facts, OrderMessages messages) {
    this.f = facts;
    this.m = messages;
    this.zh = "zh".equals(messages.lang());
  }

  static DocumentModel of(OrderFacts facts, OrderMessages messages) {
    return new DocumentContent(facts, messages).build();
  }

  private DocumentModel build() {
    List<Section> sections = new ArrayList<>();
    sections.add(
        new Section(
            m.get("section.particulars"),
            List.of(
                new Fields(
                    List.of(
                        field("label.orderNumber", f.orderNumber()),
                        field("label.caseNumber", f.caseNumber()),
                        field("label.issuedAt", m.dateTime(f.issuedAt())),
                        field(
                            "label.issuedBy",
                            m.fill(
                                "issuedBy.value",
                                "name",
                                f.issuedBy().name(),
                                "role",
                                f.issuedBy().role())))))));
    sections.add(unit());
    sections.add(findings());
    switch (f.kind()) {
      case PRICE -> sections.add(price());
      case POWER_CUT -> sections.add(powerCut());
      case SUMMONS -> sections.add(summons());
    }
    Section closing = closing();
    if (!closing.blocks().isEmpty()) {
      sections.add(closing);
    }
    String addressee =
        f.kind() == OrderKind.POWER_CUT
            ? orElse(f.powerCut().gridCompany(), m.get("gridCompany.generic"))
            : f.unit().name();
    return new DocumentModel(
        m.lang(),
        m.get("title." + f.kind().label()),
        f.orderNumber(),
        m.fill("to", "name", addressee),
        sections,
        List.of(
            m.fill("issuedBy.value", "name", f.issuedBy().name(), "role", f.issuedBy().role()),
            m.fill("signature.date", "date", m.date(f.issuedAt()))));
  }

  private Section unit() {
    OrderFacts.Unit u = f.unit();
    String region =
        u.regionName() == null || u.regionName().isBlank()
            ? u.regionCode()
            : m.fill("region.value", "name", u.regionName(), "code", u.regionCode());
    return new Section(
        m.get("section.unit"),
        List.of(
            new Fields(
                List.of(
                    field("label.unit.name", u.name()),
                    field("label.unit.creditCode", u.creditCode()),
                    field("label.unit.category", u.category()),
                    field("label.unit.region", region),
                    field("label.unit.address", u.address())))));
  }

  private Section findings() {
    List<Block> b = new ArrayList<>();
    b.add(new Subheading(m.get("label.hosts")));
    b.add(listOrEmpty(f.hosts()));
    b.add(new Subheading(m.get("label.evidence")));
    List<String> evidence = f.evidence();
    b.add(
        listOrEmpty(evidence.subList(0, Math.min(evidence.size(), OrderFacts.MAX_EVIDENCE_SHOWN))));
    if (evidence.size() > OrderFacts.MAX_EVIDENCE_SHOWN) {
      b.add(
          new Paragraph(
              m.fill(
                  "evidence.more",
                  "count",
                  Integer.toString(evidence.size() - OrderFacts.MAX_EVIDENCE_SHOWN))));
    }
    b.add(new Subheading(m.get("label.assessment")));
    List<Field> assessment = new ArrayList<>();
    assessment.add(
        field("label.assessment", m.get("assessment." + f.assessment().verdict().label())));
    if (f.energy() != null) {
      assessment.add(
          field(
              "label.energy",
              m.fill(
                  "energy.value",
                  "low",
                  OrderMessages.number(f.energy().low()),
                  "best",
                  OrderMessages.number(f.energy().best()),
                  "high",
                  OrderMessages.number(f.energy().high()))));
    }
    b.add(new Fields(assessment));
    if (!f.assessment().reasons().isEmpty()) {
      b.add(new Subheading(m.get("label.reasons")));
      // Stored as reason codes (a sentence stored before them reads as itself), shown in the
      // document's language.
      b.add(
          new Bullets(
              f.assessment().reasons().stream()
                  .map(
                      line ->
                          org.minewatch.governance.cases.Reasons.text(
                              org.minewatch.attribution.assess.Reason.decode(line),
                              zh ? java.util.Locale.CHINESE : java.util.Locale.ROOT))
                  .toList()));
    }
    return new Section(m.get("section.findings"), b);
  }

  private Section price() {
    PriceComputation p = f.price();
    TariffPolicy policy = p.policy();
    List<Field> rows = new ArrayList<>();
    rows.add(
        field(
            "label.policy",
            m.fill(
                "policy.value",
                "region",
                zh ? policy.region() : policy.regionEn(),
                "kind",
                m.get("kind." + policy.kind().label()))));
    rows.add(field("label.policyBasis", zh ? policy.basisZh() : policy.basisEn()));
    rows.add(field("label.source", policy.source()));
    rows.add(field("label.basis", m.get("basis." + p.basis().label())));
    if (p.days() != null) {
      rows.add(
          field(
              "label.period",
              m.fill(
                  "period.value",
                  "start",
                  m.date(p.start()),
                  "end",
                  m.date(p.end()),
                  "days",
                  p.days().toString())));
    }
    if (p.tariffDue() != null) {
      rows.add(
          field(
              "label.tariffs",
              m.fill(
                  "tariffs.value",
                  "applied",
                  OrderMessages.rate(p.tariffApplied()),
                  "due",
                  OrderMessages.rate(p.tariffDue()))));
    }
    rows.add(field("label.rate", m.fill("rate.value", "rate", OrderMessages.rate(p.yuanPerKwh()))));

    List<List<String>> table = new ArrayList<>();
    table.add(List.of(m.get("table.case"), m.get("table.kwh"), m.get("table.amount")));
    if (p.basis() == PriceComputation.Basis.METERED) {
      table.add(amountRow("case.metered", p.kwhBest(), p.amountBest()));
    } else {
      table.add(amountRow("case.low", p.kwhLow(), p.amountLow()));
      table.add(amountRow("case.best", p.kwhBest(), p.amountBest()));
      table.add(amountRow("case.high", p.kwhHigh(), p.amountHigh()));
    }
    List<Block> b = new ArrayList<>();
    b.add(new Fields(rows));
    b.add(new Table(table));
    b.add(new Subheading(m.get("label.formula")));
    b.add(new Paragraph(zh ? p.formulaZh() : p.formulaEn()));
    List<String> notes = zh ? p.notesZh() : p.notesEn();
    if (!notes.isEmpty()) {
      b.add(new Bullets(notes));
    }
    b.add(new Paragraph(m.get("price.instruction")));
    return new Section(m.get("section.price"), b);
  }

  private List<String> amountRow(String caseKey, BigDecimal kwh, BigDecimal amount) {
    return List.of(m.get(caseKey), OrderMessages.number(kwh), OrderMessages.number(amount));
  }

  private Section powerCut() {
    OrderFacts.PowerCut c = f.powerCut();
    return new Section(
        m.get("section.powerCut"),
        List.of(
            new Fields(
                List.of(
                    field(
                        "label.gridCompany", orElse(c.gridCompany(), m.get("gridCompany.generic"))),
                    field("label.account", c.accountNumber()),
                    field("label.supplyAddress", c.supplyAddress()),
                    field("label.effective", m.date(c.effectiveDate())),
                    field("label.reason", c.reason()))),
            new Paragraph(m.fill("powerCut.instruction", "date", m.date(c.effectiveDate())))));
  }

  private Section summons() {
    OrderFacts.Summons s = f.summons();
    return new Section(
        m.get("section.summons"),
        List.of(
            new Fields(
                List.of(field("label.when", m.dateTime(s.at())), field("label.place", s.place()))),
            new Subheading(m.get("label.attendees")),
            new Bullets(s.attendees()),
            new Subheading(m.get("label.topics")),
            listOrEmpty(s.topics()),
            new Paragraph(m.get("summons.instruction"))));
  }

  private Section closing() {
    List<Field> rows = new ArrayList<>();
    if (f.deadline() != null) {
      rows.add(field("label.deadline", m.fill("deadline.value", "date", m.date(f.deadline()))));
    }
    if (f.note() != null && !f.note().isBlank()) {
      rows.add(field("label.note", f.note()));
    }
    return new Section(
        m.get("section.closing"), rows.isEmpty() ? List.of() : List.of(new Fields(rows)));
  }

  private Field field(String labelKey, String value) {
    return new Field(m.get(labelKey), orElse(value, m.get("empty")));
  }

  private Bullets listOrEmpty(List<String> items) {
    return new Bullets(items.isEmpty() ? List.of(m.get("empty")) : items);
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
