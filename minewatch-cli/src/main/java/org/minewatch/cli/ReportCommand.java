package org.minewatch.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.minewatch.attribution.assess.Assessor;
import org.minewatch.attribution.registry.UnitRegistry;
import org.minewatch.attribution.report.FindingsReader;
import org.minewatch.attribution.report.ReportBuilder;
import org.minewatch.attribution.report.ReportData;
import org.minewatch.attribution.report.ReportWriter;
import org.minewatch.io.Inputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code minewatch report FINDINGS.jsonl...}: the regulator's figures over any number of scans. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Merges findings (JSON lines of 'minewatch scan -f jsonl', any number of scans; one host counts "
          + "once) and reports mining addresses and units by region, category and coin, the share in government, "
          + "institutions, universities and enterprises, compromised versus deliberate, hash rate and energy, and the "
          + "top units and operations.",
      "Exit status: 0 when the report was written, 1 when it could not be written, 2 for unusable arguments or "
          + "when no finding could be read."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FINDINGS.jsonl")
  List<Path> inputs;

  @Option(
      names = "--registry",
      paramLabel = "FILE",
      description =
          "Address allocations to attribute hosts to units "
              + "(CSV or JSON; repeatable); otherwise the units the findings carry.")
  List<Path> registries = new ArrayList<>();

  @Option(
      names = "--geo",
      paramLabel = "FILE",
      description =
          "Geolocation databases (.xdb or .mmdb; repeatable): "
              + "a host without a unit is counted in the region they give.")
  List<Path> geoFiles = new ArrayList<>();

  @Option(
      names = {"-f", "--format"},
      defaultValue = "html",
      paramLabel = "FORMAT",
      description = "html (default; one self-contained page), md, csv or json.")
  String format;

  @Option(
      names = "--lang",
      defaultValue = "zh",
      paramLabel = "LANG",
      description = "zh (default) or en.")
  String lang;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report here instead of stdout.")
  Path output;

  private final PrintStream err;

  ReportCommand() {
    this(System.err);
  }

  ReportCommand(PrintStream err) {
    this.err = err;
  }

  @Override
  public Integer call() throws IOException {
    if (!List.of("html", "md", "csv", "json").contains(format)) {
      err.println("minewatch report: unknown format: " + format + " (html, md, csv or json)");
      return 2;
    }
    if (!lang.equals("zh") && !lang.equals("en")) {
      err.println("minewatch report: unknown language: " + lang + " (zh or en)");
      return 2;
    }
    String wrong = Checks.output("--output", output);
    if (wrong != null) {
      err.println("minewatch report: " + wrong);
      return 2;
    }
    UnitRegistry registry = Registries.load(registries, err, "report");
    List<org.minewatch.attribution.geo.GeoLocator> geo =
        registry == null ? null : GeoFiles.open(geoFiles, lang, err, "report");
    if (registry == null || geo == null) {
      return 2;
    }
    List<FindingsReader.Row> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path in : inputs) {
      if (Files.isDirectory(in)) {
        err.println("minewatch report: " + in + ": is a directory");
        continue;
      }
      // Not only regular files: a pipe, /dev/stdin or <(command) is read as it comes.
      try (BufferedReader r = Inputs.openText(in)) {
        rows.addAll(FindingsReader.read(in.toString(), r, problems));
      } catch (IOException e) {
        err.println("minewatch report: " + in + ": " + Inputs.reason(e));
      }
    }
    problems.forEach(p -> err.println("minewatch: " + p));
    if (rows.isEmpty()) {
      err.println("minewatch report: no findings read from the inputs; no report written");
      return 2;
    }
    ReportData data = ReportBuilder.build(rows, registry, geo, Assessor.defaults());
    try (Writer out =
        output != null
            ? Files.newBufferedWriter(output, StandardCharsets.UTF_8)
            : StandardOutput.writer()) {
      new ReportWriter(data, lang, Instant.now()).write(format, out);
    } catch (IOException e) {
      err.println(
          "minewatch report: "
              + (output != null ? "--output " + output : "standard output")
              + ": cannot write: "
              + Inputs.reason(e));
      return 1;
    }
    return 0;
  }
}
