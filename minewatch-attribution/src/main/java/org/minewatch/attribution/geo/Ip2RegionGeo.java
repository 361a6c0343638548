package org.minewatch.attribution.geo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lionsoul.ip2region.xdb.Searcher;
import org.minewatch.model.IpAddress;

/**
 * An ip2region xdb database (version 2, IPv4): country, province, city and ISP of Chinese
 * addresses, in Chinese. Loaded whole into memory (a full database is about 11 MB).
 */
public final class Ip2RegionGeo implements GeoLocator {
  private final Searcher searcher;
  private final String source;

  public Ip2RegionGeo(Path file) throws IOException {
    this.searcher = Searcher.newWithBuffer(Files.readAllBytes(file));
    this.source = file.toString();
  }

  /**
   * True if the bytes start like an xdb file: version 2 and the vector-index policy, little-endian.
   */
  public static boolean sniff(byte[] head) {
    return head.length >= 4 && head[0] == 2 && head[1] == 0 && head[2] == 1 && head[3] == 0;
  }

  @Override
  public Geo locate(IpAddress address) {
    if (!address.isV4()) {
      return null;
    }
    String region;
    try {
      region = searcher.search(address.toString());
    } catch (Exception e) { // the library declares Exception
      throw new IllegalStateException(
          source + ": lookup of " + address + " failed: " + e.getMessage(), e);
    }
    if (region == null || region.isEmpty()) {
      return null;
    }
    // country|region|province|city|ISP, "0" where unknown
    String[] f = region.split("\\|", -1);
    Geo g = new Geo(field(f, 0), field(f, 2), field(f, 3), field(f, 4), null);
    return g.equals(new Geo(null, null, null, null, null)) ? null : g;
  }

  private static String field(String[] f, int i) {
    return i < f.length && !f[i].isEmpty() && !f[i].equals("0") ? f[i] : null;
  }
}
