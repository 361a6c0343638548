package org.minewatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.minewatch.intel.BlockList;
import org.minewatch.intel.Pool;
import org.minewatch.intel.PoolCatalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code minewatch intel}: the pool catalogue and imported block lists. */
@Command(
    name = "intel",
    mixinStandardHelpOptions = true,
    description = "Pool intelligence: import block lists, list what is known.",
    subcommands = {IntelCommand.Import.class, IntelCommand.ListLists.class})
final class IntelCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: import or list");
  }

  /** {@code minewatch intel import FILE...}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Imports block lists of mining hosts: plain domain lists, hosts files (0.0.0.0 name) and address "
            + "lists, recognised line by line. Bad lines are reported and skipped.",
        "Each file is stored normalised as DIR/NAME.list; minewatch scan reads every list there."
      })
  static final class Import implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description =
            "Where lists are kept (default: $MINEWATCH_HOME/intel " + "or ~/.minewatch/intel).")
    Path dir;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "The list's name (default: the file's name); only " + "with one file.")
    String name;

    @Override
    public Integer call() throws IOException {
      PrintStream err = System.err;
      if (name != null && files.size() > 1) {
        err.println("minewatch intel import: --name takes one file");
        return 2;
      }
      if (name != null && !name.matches("[A-Za-z0-9._-]+")) {
        err.println(
            "minewatch intel import: --name may hold letters, digits, '.', '_' and '-' only");
        return 2;
      }
      Path target = dir != null ? dir : IntelDirectory.defaultDirectory();
      int imported = 0;
      for (Path f : files) {
        if (!Files.isRegularFile(f)) {
          err.println("minewatch intel import: " + f + ": no such file");
          continue;
        }
        BlockList list;
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
          list = BlockList.read(r, f.toString());
        } catch (java.nio.charset.MalformedInputException e) {
          err.println("minewatch intel import: " + f + ": not UTF-8 text");
          continue;
        }
        list.problems().forEach(p -> err.println("minewatch intel import: " + p));
        String base = f.getFileName().toString();
        int dot = base.lastIndexOf('.');
        String listName =
            name != null
                ? name
                : (dot > 0 ? base.substring(0, dot) : base).replaceAll("[^A-Za-z0-9._-]", "_");
        Files.createDirectories(target);
        Path out = target.resolve(listName.endsWith(".list") ? listName : listName + ".list");
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
          w.write(
              "# imported by minewatch from " + f.toAbsolutePath() + " at " + Instant.now() + "\n");
          for (String d : list.domains().stream().sorted().toList()) {
            w.write(d + "\n");
          }
          for (String a : list.addresses().stream().map(Object::toString).sorted().toList()) {
            w.write(a + "\n");
          }
        }
        System.out.println(
            out
                + ": "
                + list.domains().size()
                + " domains, "
                + list.addresses().size()
                + " addresses, "
                + list.problems().size()
                + " lines skipped");
        imported++;
      }
      return imported == 0 ? 2 : 0;
    }
  }

  /** {@code minewatch intel list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the built-in pools and imported lists.")
  static final class ListLists implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "Where lists are kept.")
    Path dir;

    @Override
    public Integer call() throws IOException {
      PoolCatalogue c = PoolCatalogue.defaults();
      System.out.println("Built-in catalogue: " + c.pools().size() + " pools");
      for (Pool p : c.pools()) {
        System.out.println("  " + p.name() + ": " + String.join(" ", p.domains()));
      }
      Path d = dir != null ? dir : IntelDirectory.defaultDirectory();
      if (!Files.isDirectory(d)) {
        System.out.println("No imported lists in " + d);
        return 0;
      }
      try (Stream<Path> s = Files.list(d)) {
        for (Path f : s.filter(p -> p.toString().endsWith(".list")).sorted().toList()) {
          long n;
          try (Stream<String> lines = Files.lines(f)) {
            n = lines.filter(l -> !l.isBlank() && !l.startsWith("#")).count();
          }
          System.out.println("Imported: " + f + " (" + n + " entries)");
        }
      }
      return 0;
    }
  }
}
