package org.minewatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.minewatch.attribution.registry.Allocation;
import org.minewatch.attribution.registry.RegistryImport;
import org.minewatch.attribution.registry.UnitRegistry;
import org.minewatch.io.Inputs;

/**
 * Loads the unit registries named with {@code --registry}, reporting bad records and conflicts: the
 * first of each kind in full, then how many more (a registry without addresses, or of nested
 * ranges, would otherwise print a line for each of its records).
 */
final class Registries {
  private Registries() {}

  /** The registry from every file (empty for none); null if a file cannot be read at all. */
  static UnitRegistry load(List<Path> files, PrintStream err, String command) {
    List<Allocation> all = new ArrayList<>();
    for (Path f : files) {
      try {
        RegistryImport.Result r = RegistryImport.read(f);
        r.problems().forEach(p -> err.println("minewatch: " + p));
        r.warnings().forEach(w -> err.println("minewatch: warning: " + w));
        all.addAll(r.allocations());
      } catch (IOException e) {
        err.println("minewatch " + command + ": --registry " + f + ": " + Inputs.reason(e));
        return null;
      }
    }
    UnitRegistry registry = UnitRegistry.build(all);
    registry.notes().forEach(n -> err.println("minewatch: " + n));
    return registry;
  }
}
