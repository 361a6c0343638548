package org.minewatch.attribution.report;

import java.util.Map;

/** The report's words in Chinese and English. */
final class Labels {
  private static final Map<String, String[]> WORDS =
      Map.ofEntries(
          Map.entry("title", new String[] {"挖矿活动监测报告", "Cryptocurrency mining report"}),
          Map.entry("summary", new String[] {"概况", "Summary"}),
          Map.entry("mining_hosts", new String[] {"挖矿IP地址", "Mining addresses"}),
          Map.entry("units", new String[] {"涉及单位", "Units"}),
          Map.entry(
              "share",
              new String[] {
                "党政机关、事业单位、高校和企业占比",
                "Share in government, institutions, universities and enterprises"
              }),
          Map.entry("compromised", new String[] {"被入侵（疑似）", "Compromised"}),
          Map.entry("deliberate", new String[] {"主动挖矿（疑似）", "Deliberate"}),
          Map.entry("undetermined", new String[] {"待核实", "Undetermined"}),
          Map.entry("kwh", new String[] {"估算日耗电量（千瓦时）", "Estimated energy per day (kWh)"}),
          Map.entry("power", new String[] {"估算功率（瓦）", "Estimated power (W)"}),
          Map.entry("by_category", new String[] {"按单位类别", "By category of unit"}),
          Map.entry("by_region", new String[] {"按地区", "By region"}),
          Map.entry("by_coin", new String[] {"按币种", "By coin"}),
          Map.entry("assessment", new String[] {"入侵与主动挖矿判定", "Compromised or deliberate"}),
          Map.entry(
              "energy_by_region",
              new String[] {
                "各地区估算日耗电量（千瓦时，最佳估计）", "Energy per day by region (kWh, best estimate)"
              }),
          Map.entry("hashrate", new String[] {"按算法汇总算力", "Hash rate by algorithm"}),
          Map.entry("top_units", new String[] {"重点单位", "Top units"}),
          Map.entry(
              "top_operations",
              new String[] {"重点挖矿团伙（同一钱包或账户）", "Top operations (one wallet or account)"}),
          Map.entry("hosts", new String[] {"挖矿地址明细", "Mining addresses"}),
          Map.entry("host", new String[] {"IP地址", "Address"}),
          Map.entry("unit", new String[] {"单位", "Unit"}),
          Map.entry("category", new String[] {"类别", "Category"}),
          Map.entry("region", new String[] {"地区", "Region"}),
          Map.entry("coin", new String[] {"币种", "Coin"}),
          Map.entry("protocol", new String[] {"协议", "Protocol"}),
          Map.entry("pool", new String[] {"矿池", "Pool"}),
          Map.entry("kwh_day", new String[] {"日耗电（千瓦时）", "kWh/day"}),
          Map.entry("count", new String[] {"地址数", "Addresses"}),
          Map.entry("operation", new String[] {"团伙编号", "Operation"}),
          Map.entry("account", new String[] {"钱包/账户", "Wallet or account"}),
          Map.entry("algorithm", new String[] {"算法", "Algorithm"}),
          Map.entry("rate", new String[] {"算力", "Hash rate"}),
          Map.entry("low", new String[] {"低", "low"}),
          Map.entry("best", new String[] {"最佳", "best"}),
          Map.entry("high", new String[] {"高", "high"}),
          Map.entry("unknown", new String[] {"未知", "unknown"}),
          Map.entry("none", new String[] {"无", "none"}),
          Map.entry(
              "note",
              new String[] {
                "统计口径：以挖矿客户端IP地址计，每个地址只计一次；多次扫描的结果已合并去重。耗电量由算力和各算法硬件能效估算，给出区间。",
                "Counts are of mining client addresses, each counted once across every scan merged here. Energy is estimated "
                    + "from hash rate and the energy efficiency of each algorithm's hardware, as a range."
              }));

  private final int index;
  final String lang;

  Labels(String lang) {
    if (!lang.equals("zh") && !lang.equals("en")) {
      throw new IllegalArgumentException("unknown language: " + lang + " (zh or en)");
    }
    this.lang = lang;
    this.index = lang.equals("zh") ? 0 : 1;
  }

  String get(String key) {
    String[] w = WORDS.get(key);
    if (w == null) {
      throw new IllegalArgumentException("no label " + key);
    }
    return w[index];
  }

  /** A category's heading, from its label. */
  String category(String label) {
    return org.minewatch.attribution.registry.UnitCategory.parse(label).title(lang);
  }

  String kind(org.minewatch.attribution.assess.Assessment.Kind kind) {
    return get(kind.label());
  }

  String region(String region) {
    return region.equals("unknown") ? get("unknown") : region;
  }
}
