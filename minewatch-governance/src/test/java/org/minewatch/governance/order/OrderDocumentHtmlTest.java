package org.minewatch.governance.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class OrderDocumentHtmlTest {

  @Test
  void aPriceOrderShowsTheNumberUnitHostsAndAmounts() {
    String html =
        OrderDocument.html(
            OrderFixtures.price("呼和浩特某数据科技有限公司", OrderFixtures.innerMongoliaMetered()), "zh");
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(html).contains("<html lang=\"zh-CN\">", "<meta charset=\"utf-8\">");
    assertThat(html)
        .contains(
            "<h1>惩罚性电价执行决定书</h1>",
            "MW-2026-000042",
            "CASE-2026-0007",
            "致：呼和浩特某数据科技有限公司",
            "91150102MA0N000001",
            "内蒙古自治区呼和浩特市新城区（150102）",
            "<li>10.20.30.40</li>",
            "<li>10.20.30.41</li>",
            "故意从事虚拟货币“挖矿”活动",
            "每日 200.00 / 209.28 / 230.00 千瓦时（低 / 最可能 / 高）",
            "<td class=\"n\">12,345.60</td><td class=\"n\">12,345.60</td>",
            "12,345.60 kWh × 1.00 元/kWh = 12,345.60 元",
            "内发改价费字〔2022〕115号",
            "2026年1月1日至2026年2月28日，共 59 天（含首尾两日）",
            "2026年3月31日前",
            "能源监管处处长 王明",
            "2026年3月2日 10:30");
  }

  @Test
  void everyValueIsEscaped() {
    String html =
        OrderDocument.html(
            OrderFixtures.price(OrderFixtures.HOSTILE, OrderFixtures.innerMongoliaMetered()), "en");
    assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co.");
    assertThat(html).doesNotContain("<script", "alert('x')");
  }

  @Test
  void thePageLoadsNothingFromOutside() {
    String html = OrderDocument.html(OrderFixtures.summons(), "zh");
    assertThat(html)
        .doesNotContain("<script", "<link", "src=", "url(", "@import", "http://", "https://");
    assertThat(html).contains("<style>", "default-src 'none'");
  }

  @Test
  void chineseAndEnglishDifferInHeadings() {
    OrderFacts facts = OrderFixtures.price("X", OrderFixtures.innerMongoliaMetered());
    String zh = OrderDocument.html(facts, "zh");
    String en = OrderDocument.html(facts, Locale.ENGLISH);
    assertThat(zh)
        .contains("<h2>当事单位</h2>", "<h2>查明事实</h2>", "<h2>惩罚性电价</h2>")
        .doesNotContain("<h2>The unit</h2>");
    assertThat(en)
        .contains(
            "<html lang=\"en\">",
            "<h1>Punitive Electricity Price Order</h1>",
            "<h2>The unit</h2>",
            "<h2>Findings</h2>",
            "<h2>Punitive electricity price</h2>",
            "Inner Mongolia: surcharge on the mining consumption",
            "12,345.60 kWh × 1.00 yuan/kWh = 12,345.60 yuan",
            "1 January 2026 to 28 February 2026, 59 days",
            "Issued at</th><td>2 March 2026, 10:30")
        .doesNotContain("<h2>当事单位</h2>");
    assertThat(OrderDocument.html(facts)).isEqualTo(zh);
  }

  @Test
  void anEstimatedOrderListsTheThreeCases() {
    PriceComputation p =
        PriceCalculator.compute(
            TariffPolicies.builtIn().require("inner-mongolia-2022"),
            PriceInput.estimated(
                200,
                209.28,
                230,
                java.time.LocalDate.of(2026, 2, 1),
                java.time.LocalDate.of(2026, 2, 28)));
    // 28 days: 5,600.00 / 5,859.84 / 6,440.00 kWh at 1.00 yuan/kWh
    String html = OrderDocument.html(OrderFixtures.price("X", p), "en");
    assertThat(html)
        .contains(
            "<tr><td>low</td><td class=\"n\">5,600.00</td><td class=\"n\">5,600.00</td></tr>",
            "<tr><td>best</td><td class=\"n\">5,859.84</td><td class=\"n\">5,859.84</td></tr>",
            "<tr><td>high</td><td class=\"n\">6,440.00</td><td class=\"n\">6,440.00</td></tr>",
            "Estimated from the network traffic");
  }

  @Test
  void aPowerCutOrderIsAddressedToTheGridCompany() {
    String html = OrderDocument.html(OrderFixtures.powerCut(), "zh");
    assertThat(html)
        .contains(
            "<h1>停止供电通知书</h1>",
            "致：内蒙古电力（集团）有限责任公司",
            "0102-3344-5566",
            "呼和浩特市新城区某路 1 号 3 号机房",
            "请自2026年3月9日起对上述用电户停止供电",
            "擅自从事虚拟货币“挖矿”活动")
        .doesNotContain("惩罚性电价");
  }

  @Test
  void aSummonsListsWhenWhereWhoAndWhat() {
    String html = OrderDocument.html(OrderFixtures.summons(), "en");
    assertThat(html)
        .contains(
            "<h1>Summons Notice</h1>",
            "12 March 2026, 09:30",
            "自治区能源局 302 会议室",
            "<li>法定代表人</li>",
            "<li>信息中心负责人</li>",
            "<li>挖矿设备来源</li>",
            "<li>整改计划</li>");
  }

  @Test
  void moreThanTenEvidenceSentencesAreSummarised() {
    List<String> evidence = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      evidence.add("evidence " + i);
    }
    OrderFacts f = OrderFixtures.summons();
    OrderFacts many =
        new OrderFacts(
            f.orderNumber(),
            f.kind(),
            f.issuedAt(),
            f.issuedBy(),
            f.caseNumber(),
            f.unit(),
            f.hosts(),
            evidence,
            f.assessment(),
            null,
            null,
            null,
            f.summons(),
            null,
            null);
    String html = OrderDocument.html(many, "zh");
    assertThat(html)
        .contains("<li>evidence 10</li>", "另有 2 条证据未列出，详见案卷。")
        .doesNotContain("evidence 11", "估算用电量", "<h2>其他事项</h2>");
  }

  @Test
  void anUnknownLanguageIsRefused() {
    OrderFacts f = OrderFixtures.summons();
    assertThatThrownBy(() -> OrderDocument.html(f, "fr"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lang: expected \"zh\" or \"en\", got \"fr\"");
  }
}
