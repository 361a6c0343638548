package org.minewatch.attribution.geo;

/** Where an address is, as open geolocation databases tell it; null fields where they do not. */
public record Geo(String country, String province, String city, String isp, String asn) {

  /** This record with the other's fields filling the gaps. */
  public Geo orElse(Geo other) {
    if (other == null) {
      return this;
    }
    return new Geo(
        country != null ? country : other.country,
        province != null ? province : other.province,
        city != null ? city : other.city,
        isp != null ? isp : other.isp,
        asn != null ? asn : other.asn);
  }
}
