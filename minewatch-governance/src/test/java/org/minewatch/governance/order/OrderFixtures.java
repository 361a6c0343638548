package org.minewatch.governance.order;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Orders for the document tests. */
final class OrderFixtures {
  static final String HOSTILE = "<script>alert('x')</script> & Co.";
  static final OffsetDateTime ISSUED =
      OffsetDateTime.of(2026, 3, 2, 10, 30, 0, 0, ZoneOffset.ofHours(8));

  private OrderFixtures() {}

  static OrderFacts.Unit unit(String name) {
    return new OrderFacts.Unit(
        name, "91150102MA0N000001", "企业", "150102", "内蒙古自治区呼和浩特市新城区", "呼和浩特市新城区某路 1 号");
  }

  static PriceComputation innerMongoliaMetered() {
    return PriceCalculator.compute(
        TariffPolicies.builtIn().require("inner-mongolia-2022"),
        PriceInput.metered(
            new BigDecimal("12345.6"), LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 28)));
  }

  static OrderFacts price(String unitName, PriceComputation price) {
    return base(OrderKind.PRICE, unitName, price, null, null);
  }

  static OrderFacts powerCut() {
    return base(
        OrderKind.POWER_CUT,
        "呼和浩特某数据科技有限公司",
        null,
        new OrderFacts.PowerCut(
            "内蒙古电力（集团）有限责任公司",
            "0102-3344-5566",
            "呼和浩特市新城区某路 1 号 3 号机房",
            LocalDate.of(2026, 3, 9),
            "擅自从事虚拟货币“挖矿”活动"),
        null);
  }

  static OrderFacts summons() {
    return base(
        OrderKind.SUMMONS,
        "呼和浩特某数据科技有限公司",
        null,
        null,
        new OrderFacts.Summons(
            LocalDateTime.of(2026, 3, 12, 9, 30),
            "自治区能源局 302 会议室",
            List.of("法定代表人", "信息中心负责人"),
            List.of("挖矿设备来源", "整改计划")));
  }

  static OrderFacts base(
      OrderKind kind,
      String unitName,
      PriceComputation price,
      OrderFacts.PowerCut cut,
      OrderFacts.Summons summons) {
    return new OrderFacts(
        "MW-2026-000042",
        kind,
        ISSUED,
        new OrderFacts.Official("王明", "能源监管处处长"),
        "CASE-2026-0007",
        unit(unitName),
        List.of("10.20.30.40", "10.20.30.41"),
        List.of("10.20.30.40 连接矿池 pool.example（Stratum，登录名 wallet.rig1）", "每日 86,400 份有效工作量"),
        new OrderFacts.Assessment(OrderFacts.Verdict.DELIBERATE, List.of("挖矿主机位于单位自有机房")),
        new OrderFacts.EnergyEstimate(200, 209.28, 230),
        price,
        cut,
        summons,
        LocalDate.of(2026, 3, 31),
        "如有异议，可在收到本文书之日起 60 日内申请行政复议。");
  }
}
