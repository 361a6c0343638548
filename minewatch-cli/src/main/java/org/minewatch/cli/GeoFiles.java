package org.minewatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.minewatch.attribution.geo.GeoDatabases;
import org.minewatch.attribution.geo.GeoLocator;

/** Opens the geolocation databases named with {@code --geo}, in the order given. */
final class GeoFiles {
  private GeoFiles() {}

  /** The databases; null (after saying why) if one cannot be opened. */
  static List<GeoLocator> open(List<Path> files, String lang, PrintStream err, String command) {
    List<GeoLocator> out = new ArrayList<>();
    for (Path f : files) {
      try {
        out.add(GeoDatabases.open(f, lang));
      } catch (java.nio.file.NoSuchFileException e) {
        err.println("minewatch " + command + ": --geo " + f + ": no such file");
        return null;
      } catch (IOException e) {
        err.println("minewatch " + command + ": --geo " + e.getMessage());
        return null;
      }
    }
    return out;
  }
}
