package org.minewatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.minewatch.attribution.registry.Allocation;
import org.minewatch.attribution.registry.RegistryImport;
import org.minewatch.attribution.registry.UnitRegistry;

/** Loads the unit registries named with {@code --registry}, reporting bad lines and conflicts. */
final class Registries {
  static final int WARNINGS_SHOWN = 20;

  private Registries() {}

  /** The registry from every file (empty for none); null if a file cannot be read at all. */
  static UnitRegistry load(List<Path> files, PrintStream err, String command) {
    List<Allocation> all = new ArrayList<>();
    for (Path f : files) {
      try {
        RegistryImport.Result r = RegistryImport.read(f);
        r.problems().forEach(p -> err.println("minewatch: " + p));
        // Lines kept with something amiss: the first few in full, then how many (a registry without addresses
        // would otherwise print one line for each of its records).
        r.warnings().stream().limit(WARNINGS_SHOWN).forEach(w -> err.println("minewatch: warning: " + w));
        if (r.warnings().size() > WARNINGS_SHOWN) {
          err.println("minewatch: warning: " + f + ": " + (r.warnings().size() - WARNINGS_SHOWN)
              + " more warnings like these; the lines were imported");
        }
        all.addAll(r.allocations());
      } catch (java.nio.file.NoSuchFileException e) {
        err.println("minewatch " + command + ": --registry " + f + ": no such file");
        return null;
      } catch (IOException e) {
        err.println("minewatch " + command + ": --registry " + f + ": cannot be read: " + e.getMessage());
        return null;
      }
    }
    UnitRegistry registry = UnitRegistry.build(all);
    registry.notes().forEach(n -> err.println("minewatch: " + n));
    return registry;
  }
}
