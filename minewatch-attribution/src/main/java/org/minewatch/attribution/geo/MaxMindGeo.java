package org.minewatch.attribution.geo;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.NamedRecord;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.record.Country;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.minewatch.model.IpAddress;

/**
 * A MaxMind-format database (GeoLite2 or GeoIP2 City, Country or ASN; DB-IP's free databases in the
 * same format), memory-mapped. Names are taken in Chinese where the database has them and {@code
 * lang} is "zh", else in English.
 */
public final class MaxMindGeo implements GeoLocator {
  private final DatabaseReader reader;
  private final String type;
  private final String source;

  public MaxMindGeo(Path file, String lang) throws IOException {
    this.reader =
        new DatabaseReader.Builder(file.toFile())
            .locales(lang.equals("zh") ? List.of("zh-CN", "en") : List.of("en"))
            .build();
    this.type = reader.getMetadata().databaseType();
    this.source = file.toString();
  }

  public String databaseType() {
    return type;
  }

  @Override
  public Geo locate(IpAddress address) {
    try {
      InetAddress a = inet(address);
      String t = type.toLowerCase(Locale.ROOT);
      if (t.contains("asn")) {
        Optional<AsnResponse> r = reader.tryAsn(a);
        return r.map(
                x ->
                    new Geo(
                        null,
                        null,
                        null,
                        x.autonomousSystemOrganization(),
                        x.autonomousSystemNumber() == null
                            ? null
                            : "AS" + x.autonomousSystemNumber()))
            .orElse(null);
      }
      if (t.contains("city")) {
        Optional<CityResponse> r = reader.tryCity(a);
        return r.map(
                x ->
                    new Geo(
                        country(x.country()),
                        x.mostSpecificSubdivision() == null
                            ? null
                            : name(x.mostSpecificSubdivision()),
                        name(x.city()),
                        null,
                        null))
            .orElse(null);
      }
      if (t.contains("country")) {
        Optional<CountryResponse> r = reader.tryCountry(a);
        return r.map(x -> new Geo(country(x.country()), null, null, null, null)).orElse(null);
      }
      return null;
    } catch (IOException | GeoIp2Exception | UnsupportedOperationException e) {
      throw new IllegalStateException(
          source + ": lookup of " + address + " failed: " + e.getMessage(), e);
    }
  }

  private static String country(Country c) {
    if (c == null) {
      return null;
    }
    String n = name(c);
    return n != null ? n : c.isoCode();
  }

  private static String name(NamedRecord r) {
    return r == null ? null : r.name();
  }

  static InetAddress inet(IpAddress a) throws UnknownHostException {
    if (a.isV4()) {
      int v = (int) a.lo();
      return InetAddress.getByAddress(
          new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (a.hi() >>> (56 - 8 * i));
      b[i + 8] = (byte) (a.lo() >>> (56 - 8 * i));
    }
    return InetAddress.getByAddress(b);
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      // nothing held that matters
    }
  }
}
