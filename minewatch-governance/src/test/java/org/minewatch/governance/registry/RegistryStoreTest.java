package org.minewatch.governance.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.minewatch.attribution.registry.RegistryImport;
import org.minewatch.governance.Findings;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.audit.AuditLog;
import org.minewatch.governance.cases.CaseViews;
import org.minewatch.governance.store.Times;

/**
 * The unit registry in the database: imports replace a unit's ranges, keep the old ones, and take
 * effect at once.
 */
class RegistryStoreTest extends GovernanceTestBase {
  static final String HEADER = String.join(",", RegistryImport.COLUMNS) + "\n";
  static final String NETWORK_NAME = "江苏省示例教育科研网 (Example Provincial Research Network)";

  /** The university moves from 10.20.0.0/16 to 10.21.0.0/16, with a new contact. */
  static final String UNIVERSITY_MOVES =
      HEADER
          + "10.21.0.0/16,示例大学 (Example University),"
          + Findings.UNIVERSITY_CODE
          + ",university,320100,南京市,南京市鼓楼区示例路22号,noc@example-university.edu.cn\n";

  private List<Map<String, Object>> ranges() {
    return rows(
        "select u.unit_key, r.range_text, r.import_id, r.valid_from, r.valid_to from unit_ranges r "
            + "join units u on u.id = r.unit_id order by r.id");
  }

  @Test
  void theDemoRegistryImports() {
    RegistryStore.ImportResult r =
        gov.importRegistry(
            ADMIN, org.minewatch.attribution.registry.DemoRegistry.csv(), "demo-registry.csv");

    assertThat(r).isEqualTo(new RegistryStore.ImportResult(1, 6, 6, 0, List.of(), List.of()));
    assertThat(rows("select unit_key, name, category, region_code from units order by id"))
        .extracting(m -> m.get("unit_key"), m -> m.get("category"), m -> m.get("region_code"))
        .containsExactly(
            tuple("12320000MB0000001D", "public-institution", "320000"),
            tuple(Findings.UNIVERSITY_CODE, "university", "320100"),
            tuple(Findings.GOVERNMENT_CODE, "government", "320200"),
            tuple("12320100MB0000034Y", "university", "320100"),
            tuple("name:" + Findings.RESIDENTIAL_NAME, "residential", "320500"),
            tuple("91320000MB0000045Q", "soe", "320000"));
    assertThat(ranges())
        .extracting(m -> m.get("range_text"), m -> m.get("valid_to"))
        .containsExactly(
            tuple("10.0.0.0-10.255.255.255", null),
            tuple("10.20.0.0-10.20.255.255", null),
            tuple("10.20.7.0-10.20.7.255", null),
            tuple("10.20.3.0-10.20.3.255", null),
            tuple("192.168.40.0-192.168.40.255", null),
            tuple("2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", null));
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::action, AuditLog.Entry::subject, AuditLog.Entry::detail)
        .containsExactly(
            "registry.import",
            "import 1",
            "demo-registry.csv: 6 ranges of 6 units; 0 earlier ranges " + "closed; 0 problems");
  }

  @Test
  void anImportReplacesTheUnitsRangesKeepsTheOldOnesAndLeavesOtherUnitsAlone() {
    importDemoRegistry();
    List<Map<String, Object>> before = ranges();
    clock.advance(Duration.ofDays(1));
    Instant now = clock.instant();

    RegistryStore.ImportResult r = gov.importRegistry(ADMIN, UNIVERSITY_MOVES, "university.csv");

    assertThat(r).isEqualTo(new RegistryStore.ImportResult(2, 1, 1, 1, List.of(), List.of()));
    List<Map<String, Object>> after = ranges();
    assertThat(after).hasSize(7);
    // Every other unit's ranges are as they were.
    for (int i : new int[] {0, 2, 3, 4, 5}) {
      assertThat(after.get(i)).isEqualTo(before.get(i));
    }
    assertThat(after.get(1))
        .extracting(m -> m.get("unit_key"), m -> m.get("range_text"), m -> m.get("import_id"))
        .containsExactly(Findings.UNIVERSITY_CODE, "10.20.0.0-10.20.255.255", 1L);
    // The old range is kept, closed at the import.
    List<Instant> validity =
        database
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "select valid_from, valid_to from "
                                + "unit_ranges where range_text = '10.20.0.0-10.20.255.255'")
                        .map(
                            (rs, ctx) ->
                                List.of(Times.read(rs, "valid_from"), Times.read(rs, "valid_to")))
                        .one());
    assertThat(validity).containsExactly(START, now);
    assertThat(after.get(6))
        .extracting(
            m -> m.get("unit_key"),
            m -> m.get("range_text"),
            m -> m.get("import_id"),
            m -> m.get("valid_to"))
        .containsExactly(Findings.UNIVERSITY_CODE, "10.21.0.0-10.21.255.255", 2L, null);
    assertThat(
            rows("select contact from units where unit_key = '" + Findings.UNIVERSITY_CODE + "'")
                .get(0)
                .get("contact"))
        .isEqualTo("noc@example-university.edu.cn");
    assertThat(count("units")).isEqualTo(6);
  }

  @Test
  void theNextIngestAttributesByTheNewRegistry() {
    importDemoRegistry();
    // Before: 10.21.0.5 lies only in the research network's 10.0.0.0/8.
    ingest(Findings.host(Findings.UNIVERSITY, "10.21.0.5"));
    assertThat(detail(caseOf("10.21.0.5")).summary().unitName()).isEqualTo(NETWORK_NAME);

    gov.importRegistry(ADMIN, UNIVERSITY_MOVES, "university.csv");
    ingest(
        Findings.host(Findings.UNIVERSITY, "10.21.0.6"),
        Findings.host(Findings.UNIVERSITY, "10.20.1.16"),
        Findings.GOVERNMENT);

    CaseViews.Summary university = detail(caseOf("10.21.0.6")).summary();
    assertThat(university)
        .extracting(CaseViews.Summary::unitName, CaseViews.Summary::number)
        .containsExactly(Findings.UNIVERSITY_NAME, "MW-2026-000002");
    // 10.20.1.16 is no longer the university's: the research network's case takes it.
    assertThat(detail(caseOf("10.20.1.16")).summary().unitName()).isEqualTo(NETWORK_NAME);
    assertThat(detail(caseOf("10.20.1.16")).hosts()).containsExactly("10.20.1.16", "10.21.0.5");
    // The government unit's /24 was nested in the university's old range, and is still the
    // government's.
    assertThat(detail(caseOf("10.20.7.33")).summary().unitName())
        .isEqualTo(Findings.GOVERNMENT_NAME);
    assertThat(university.unitCode()).isEqualTo(Findings.UNIVERSITY_CODE);
    assertThat(detail(caseOf("10.21.0.6")).unitContact())
        .isEqualTo("noc@example-university.edu.cn");
  }

  @Test
  void anImportWithNoUsableLineIsRefusedAndWritesNothing() {
    importDemoRegistry();
    Map<String, Long> before = tableCounts();

    Problem p =
        problem(
            () ->
                gov.importRegistry(
                    ADMIN, HEADER + "not-a-range,Someone,,enterprise,320100,南京市,,\n", "bad.csv"));

    assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
    assertThat(p.field()).isEqualTo("registry");
    assertThat(p.getMessage()).startsWith("registry: no usable line: bad.csv: line 2");
    assertThat(tableCounts()).isEqualTo(before);
    assertThat(problem(() -> gov.importRegistry(ADMIN, "", "empty.csv")).field())
        .isEqualTo("registry");
  }

  @Test
  void badLinesAreReportedAndTheGoodOnesKeptAMistypedCreditCodeOnlyWarns() {
    String wrongCheck = Findings.GOVERNMENT_CODE.substring(0, 17) + "0";
    RegistryStore.ImportResult r =
        gov.importRegistry(
            ADMIN,
            HEADER
                + "172.20.0.0/16,示例企业,,enterprise,320100,南京市,南京市示例路1号,\n"
                + "172.21.0.0/16,示例机关,"
                + wrongCheck
                + ",government,320200,无锡市,无锡市示例路2号,\n"
                + "172.22.0.0/33,示例学校,,university,320100,南京市,南京市示例路3号,\n",
            "mixed.csv");

    // The unit with the mistyped code keeps its range (its hosts are attributed), without the code.
    assertThat(r.accepted()).isEqualTo(2);
    assertThat(r.units()).isEqualTo(2);
    assertThat(r.problems())
        .containsExactly(
            "mixed.csv: line 4: prefix length 33 of \"172.22.0.0/33\" is not within " + "0-32");
    assertThat(r.warnings())
        .singleElement()
        .asString()
        .startsWith("mixed.csv: line 3: the check character of ")
        .endsWith("; 示例机关 is imported without a credit code");
    assertThat(rows("select problems from registry_imports").get(0).get("problems"))
        .isEqualTo(r.problems().get(0) + "\nwarning: " + r.warnings().get(0));
    assertThat(rows("select name, code from units where name = '示例机关'"))
        .singleElement()
        .satisfies(u -> assertThat(u.get("code")).isNull());
  }

  @Test
  void onlyTheAdministratorImports() {
    assertThat(problem(() -> gov.importRegistry(NANJING, UNIVERSITY_MOVES, "x.csv")).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(problem(() -> gov.importRegistry(SENSOR, UNIVERSITY_MOVES, "x.csv")).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(count("units")).isZero();
  }

  @Test
  void warningsAreKeptUpToALimitWithACount() {
    StringBuilder csv = new StringBuilder(HEADER);
    for (int i = 0; i < RegistryStore.WARNINGS_KEPT + 5; i++) {
      csv.append("172.30.")
          .append(i)
          .append(".0/24,单位")
          .append(i)
          .append(",,enterprise,320100,南京市,,\n");
    }
    RegistryStore.ImportResult r = gov.importRegistry(ADMIN, csv.toString(), "many.csv");
    assertThat(r.accepted()).isEqualTo(RegistryStore.WARNINGS_KEPT + 5);
    // The import keeps 20 of a kind and counts the rest.
    assertThat(r.warnings()).hasSize(21);
    assertThat(r.warnings().get(0))
        .isEqualTo(
            "many.csv: line 2: no address: 单位0's site cannot be located from this " + "record");
    assertThat(r.warnings().get(20))
        .isEqualTo(
            "many.csv: "
                + (RegistryStore.WARNINGS_KEPT - 15)
                + " more records "
                + "without an address; imported");
  }
}
