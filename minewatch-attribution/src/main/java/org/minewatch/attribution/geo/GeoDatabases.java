package org.minewatch.attribution.geo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Opens a geolocation database the user points at, recognising its format from its content. */
public final class GeoDatabases {
  private GeoDatabases() {}

  public static GeoLocator open(Path file, String lang) throws IOException {
    byte[] head = new byte[4];
    try (InputStream in = Files.newInputStream(file)) {
      in.readNBytes(head, 0, 4);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (Ip2RegionGeo.sniff(head) || name.endsWith(".xdb")) {
      return new Ip2RegionGeo(file);
    }
    try {
      return new MaxMindGeo(file, lang);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          file
              + ": neither an ip2region xdb nor a MaxMind-format (.mmdb) database: "
              + e.getMessage(),
          e);
    }
  }
}
