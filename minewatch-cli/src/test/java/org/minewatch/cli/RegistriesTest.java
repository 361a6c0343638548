package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.attribution.registry.UnitRegistry;
import org.minewatch.model.IpAddress;

class RegistriesTest {
  @TempDir Path dir;

  @Test
  void aMistypedCreditCodeWarnsAndTheUnitStillAttributesItsHostsWarningsAreCapped()
      throws IOException {
    StringBuilder csv =
        new StringBuilder("range,unit,code,category,region_code,region,address,contact\n");
    // Check character wrong (…43 is valid): the unit must still hold its range.
    csv.append("10.1.0.0/16,Typo Unit,91350100M000100Y44,enterprise,350100,福州市,福州市示例路1号,\n");
    for (int i = 0; i < 25; i++) {
      csv.append("10.2.").append(i).append(".0/24,Unit ").append(i).append(",,enterprise,,,,\n");
    }
    Path file = dir.resolve("units.csv");
    Files.writeString(file, csv);
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    UnitRegistry r =
        Registries.load(List.of(file), new PrintStream(err, true, StandardCharsets.UTF_8), "scan");

    assertThat(r.lookup(IpAddress.parse("10.1.2.3")).unit().name()).isEqualTo("Typo Unit");
    assertThat(r.lookup(IpAddress.parse("10.1.2.3")).unit().code()).isNull();
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    // One mistyped code, 25 records without an address: 20 of those in full, then how many more.
    assertThat(lines).hasSize(22);
    assertThat(lines.get(0))
        .isEqualTo(
            "minewatch: warning: "
                + file
                + ": line 2: the check character of "
                + "91350100M000100Y44 should be 3, not 4; Typo Unit is imported without a credit code");
    assertThat(lines.get(1))
        .isEqualTo(
            "minewatch: warning: "
                + file
                + ": line 3: no address: Unit 0's site cannot be "
                + "located from this record");
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "minewatch: warning: " + file + ": 5 more records without an " + "address; imported");
  }
}
