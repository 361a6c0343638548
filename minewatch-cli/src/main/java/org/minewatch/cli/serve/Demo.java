package org.minewatch.cli.serve;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.minewatch.attribution.Attribution;
import org.minewatch.attribution.Attributor;
import org.minewatch.attribution.MiningHost;
import org.minewatch.attribution.assess.Assessor;
import org.minewatch.attribution.registry.DemoRegistry;
import org.minewatch.attribution.registry.RegistryImport;
import org.minewatch.attribution.registry.UnitRegistry;
import org.minewatch.cli.output.FindingWriter;
import org.minewatch.estimate.PowerModel;
import org.minewatch.flow.FlowTable;
import org.minewatch.governance.Governance;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.model.IpAddress;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;

/**
 * {@code serve --demo}: the demo registry, the sample capture's findings as a sensor would send
 * them, and one user per role with a shared demo password, so a newcomer sees cases at once. Run
 * again on the same data, it changes nothing (ingest is idempotent; users exist).
 */
final class Demo {
  static final String PASSWORD = "minewatch-demo";
  static final String SAMPLE = "samples/campus-mining.pcapng";

  private Demo() {}

  static void load(Governance g, PrintStream out) throws IOException {
    Path sample = sample();
    boolean fresh = g.listUsers(User.SYSTEM).isEmpty();
    if (fresh) {
      g.addUser(User.SYSTEM, "admin", Role.PROVINCE_ADMIN, null, null, PASSWORD.toCharArray());
      g.addUser(
          User.SYSTEM, "nanjing", Role.REGIONAL_OFFICER, "320100", null, PASSWORD.toCharArray());
      g.addUser(
          User.SYSTEM, "regulator", Role.ENERGY_REGULATOR, null, null, PASSWORD.toCharArray());
      g.addUser(User.SYSTEM, "grid", Role.GRID_COMPANY, null, null, PASSWORD.toCharArray());
      g.addUser(User.SYSTEM, "auditor", Role.AUDITOR, null, null, PASSWORD.toCharArray());
      g.addUser(
          User.SYSTEM,
          "university",
          Role.UNIT_CONTACT,
          null,
          org.minewatch.attribution.registry.CreditCode.withCheck("12320100MB0000012"),
          PASSWORD.toCharArray());
    }
    String registry = DemoRegistry.csv();
    g.importRegistry(User.SYSTEM, registry, "demo registry");
    g.ingest(User.SYSTEM, findings(sample, registry));
    out.println("minewatch serve --demo: demo registry and the findings of " + sample + " loaded");
    if (fresh) {
      out.println(
          "minewatch serve --demo: users admin (province-admin), nanjing (regional-officer 320100), regulator "
              + "(energy-regulator), grid (grid-company), auditor, university (unit-contact); password \""
              + PASSWORD
              + "\"; sign in with POST /api/login {\"user\":\"admin\",\"password\":\""
              + PASSWORD
              + "\"}");
    }
  }

  /** The sample beside the launcher ($MINEWATCH_HOME) or in the working folder. */
  static Path sample() throws IOException {
    String home = System.getenv("MINEWATCH_HOME");
    for (Path p :
        home == null ? List.of(Path.of(SAMPLE)) : List.of(Path.of(home, SAMPLE), Path.of(SAMPLE))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IOException(
        SAMPLE + " not found (run from the project folder, or set MINEWATCH_HOME to it)");
  }

  /** The sample's findings as {@code scan -f jsonl --registry} writes them. */
  static String findings(Path sample, String registryCsv) throws IOException {
    Scanner.Result result =
        new Scanner(
                ScanReporter.SILENT,
                FlowTable.DEFAULT_MAX_FLOWS,
                PowerModel.defaults(),
                PoolCatalogue.defaults())
            .scan(List.of(sample));
    UnitRegistry registry =
        UnitRegistry.build(
            RegistryImport.read(new java.io.StringReader(registryCsv), "demo").allocations());
    List<MiningHost> hosts = result.findings().stream().map(MiningHost::of).toList();
    Map<IpAddress, Attribution> at =
        new Attributor(registry, List.of(), Assessor.defaults())
            .attribute(hosts, Map.of(), Map.of());
    StringWriter w = new StringWriter();
    FindingWriter.of("jsonl").write(result.findings(), result.operations(), at, w);
    return w.toString();
  }
}
