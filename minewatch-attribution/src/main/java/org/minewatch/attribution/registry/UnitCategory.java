package org.minewatch.attribution.registry;

import java.util.Locale;

/** What kind of body holds an address range, as the campaign's statistics divide them. */
public enum UnitCategory {
  GOVERNMENT("government", "党政机关", "Party and government bodies"),
  PUBLIC_INSTITUTION("public-institution", "事业单位", "Public institutions"),
  UNIVERSITY("university", "高校及学校", "Universities and schools"),
  SOE("soe", "国有企业", "State-owned enterprises"),
  ENTERPRISE("enterprise", "民营企业", "Private enterprises"),
  IDC("idc", "数据中心/云", "Data centres and cloud"),
  RESIDENTIAL("residential", "家庭宽带", "Residential broadband"),
  MOBILE("mobile", "移动网络", "Mobile networks"),
  UNKNOWN("unknown", "未知", "Unknown");

  private final String label;
  private final String zh;
  private final String en;

  UnitCategory(String label, String zh, String en) {
    this.label = label;
    this.zh = zh;
    this.en = en;
  }

  /** The value written in registries and JSON. */
  public String label() {
    return label;
  }

  /** A heading in the report's language ("zh" or "en"). */
  public String title(String lang) {
    return lang.equals("zh") ? zh : en;
  }

  /**
   * Party and government bodies, public institutions, universities and enterprises: the units the
   * campaign counts as using public or enterprise resources for mining.
   */
  public boolean institutional() {
    return this == GOVERNMENT
        || this == PUBLIC_INSTITUTION
        || this == UNIVERSITY
        || this == SOE
        || this == ENTERPRISE;
  }

  public static UnitCategory parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    for (UnitCategory c : values()) {
      if (c.label.equals(t)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "category \""
            + text
            + "\" is none of government, public-institution, "
            + "university, soe, enterprise, idc, residential, mobile, unknown");
  }
}
