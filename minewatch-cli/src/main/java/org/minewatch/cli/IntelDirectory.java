package org.minewatch.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.minewatch.intel.BlockList;
import org.minewatch.intel.PoolCatalogue;

/**
 * Where imported block lists live between runs: one normalised file per list, {@code NAME.list}, in
 * {@code $MINEWATCH_HOME/intel} (default {@code ~/.minewatch/intel}).
 */
final class IntelDirectory {
  private IntelDirectory() {}

  static Path defaultDirectory() {
    String home = System.getenv("MINEWATCH_HOME");
    Path base =
        home != null && !home.isBlank()
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".minewatch");
    return base.resolve("intel");
  }

  /** Reads every list in the directory (none if it does not exist) into the catalogue. */
  static List<String> loadInto(PoolCatalogue catalogue, Path dir) throws IOException {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return problems;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".list")).sorted().toList();
    }
    for (Path f : files) {
      try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        BlockList list = BlockList.read(r, f.toString());
        catalogue.addListed(list);
        problems.addAll(list.problems());
      }
    }
    return problems;
  }
}
