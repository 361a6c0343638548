package org.minewatch.attribution.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code samples/demo-registry.csv}: fictional units holding the address ranges of the
 * sample capture, in the registry format, with valid credit codes. Every name, code, address and
 * contact is invented; the region codes are real GB/T 2260 codes of Jiangsu.
 *
 * <p>Run: {@code java -cp minewatch-cli/target/minewatch.jar
 * org.minewatch.attribution.registry.DemoRegistry samples}
 */
public final class DemoRegistry {
  private DemoRegistry() {}

  /**
   * range, unit, first 17 characters of the credit code (or null), category, region code, region,
   * address, contact.
   */
  static final List<String[]> UNITS =
      List.of(
          new String[] {
            "10.0.0.0/8",
            "江苏省示例教育科研网 (Example Provincial Research Network)",
            "12320000MB0000001",
            "public-institution",
            "320000",
            "江苏省",
            "南京市示例路1号",
            "noc@example.edu.cn"
          },
          new String[] {
            "10.20.0.0/16",
            "示例大学 (Example University)",
            "12320100MB0000012",
            "university",
            "320100",
            "南京市",
            "南京市鼓楼区示例路22号",
            "net@example-university.edu.cn"
          },
          new String[] {
            "10.20.7.0/24",
            "示例市发展和改革委员会 (Example City Development Commission)",
            "11320200MB0000023",
            "government",
            "320200",
            "无锡市",
            "无锡市梁溪区示例大道8号",
            "it@example-gov.cn"
          },
          new String[] {
            "10.20.3.0-10.20.3.255",
            "示例大学计算中心 (Example University Computing Centre)",
            "12320100MB0000034",
            "university",
            "320100",
            "南京市",
            "南京市鼓楼区示例路22号计算中心",
            "hpc@example-university.edu.cn"
          },
          new String[] {
            "192.168.40.0/24",
            "示例家庭宽带用户 (Example residential subscriber)",
            null,
            "residential",
            "320500",
            "苏州市",
            "苏州市姑苏区示例小区3栋",
            "-"
          },
          new String[] {
            "2001:db8::/32",
            "示例电信江苏分公司 (Example Telecom, Jiangsu)",
            "91320000MB0000045",
            "soe",
            "320000",
            "江苏省",
            "南京市示例路100号",
            "noc@example-telecom.cn"
          });

  public static String csv() {
    StringBuilder b = new StringBuilder(String.join(",", RegistryImport.COLUMNS)).append('\n');
    for (String[] u : UNITS) {
      String code = u[2] == null ? "" : CreditCode.withCheck(u[2]);
      b.append(String.join(",", u[0], quote(u[1]), code, u[3], u[4], u[5], quote(u[6]), u[7]))
          .append('\n');
    }
    return b.toString();
  }

  private static String quote(String s) {
    return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "samples");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("demo-registry.csv"), csv(), StandardCharsets.UTF_8);
  }
}
