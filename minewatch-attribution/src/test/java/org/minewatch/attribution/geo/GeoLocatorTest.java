package org.minewatch.attribution.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.model.IpAddress;

class GeoLocatorTest {
  @TempDir Path dir;

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(GeoLocatorTest.class.getResource("/geo/" + name).toURI());
  }

  @Test
  void maxMindCityAndAsnTestDatabases() throws Exception {
    try (GeoLocator city = GeoDatabases.open(resource("GeoIP2-City-Test.mmdb"), "en");
        GeoLocator cityZh = GeoDatabases.open(resource("GeoIP2-City-Test.mmdb"), "zh");
        GeoLocator asn = GeoDatabases.open(resource("GeoLite2-ASN-Test.mmdb"), "en")) {
      assertThat(city.locate(IpAddress.parse("175.16.199.7")))
          .isEqualTo(new Geo("China", "Jilin Sheng", "Changchun", null, null));
      assertThat(cityZh.locate(IpAddress.parse("175.16.199.7")))
          .isEqualTo(new Geo("中国", "吉林", "长春", null, null));
      assertThat(city.locate(IpAddress.parse("81.2.69.142")))
          .isEqualTo(new Geo("United Kingdom", "England", "London", null, null));
      assertThat(city.locate(IpAddress.parse("2001:218::1")).country()).isEqualTo("Japan");
      assertThat(city.locate(IpAddress.parse("10.0.0.1"))).isNull();
      assertThat(asn.locate(IpAddress.parse("1.128.0.1")))
          .isEqualTo(new Geo(null, null, null, "Telstra Pty Ltd", "AS1221"));
      assertThat(asn.locate(IpAddress.parse("175.16.199.7"))).isNull();
    }
  }

  @Test
  void ip2regionDatabaseBuiltHere() throws Exception {
    Path xdb = dir.resolve("test.xdb");
    Files.write(
        xdb,
        XdbFiles.build(
            List.of(
                new XdbFiles.Range(
                    XdbFiles.ip("58.192.0.0"), XdbFiles.ip("58.195.255.255"), "中国|0|江苏省|南京市|教育网"),
                new XdbFiles.Range(
                    XdbFiles.ip("218.94.0.0"), XdbFiles.ip("218.94.127.255"), "中国|0|江苏省|苏州市|电信"))));
    try (GeoLocator g = GeoDatabases.open(xdb, "zh")) {
      assertThat(g).isInstanceOf(Ip2RegionGeo.class);
      assertThat(g.locate(IpAddress.parse("58.193.10.1")))
          .isEqualTo(new Geo("中国", "江苏省", "南京市", "教育网", null));
      assertThat(g.locate(IpAddress.parse("218.94.127.255")))
          .isEqualTo(new Geo("中国", "江苏省", "苏州市", "电信", null));
      assertThat(g.locate(IpAddress.parse("218.94.128.0"))).isNull();
      assertThat(g.locate(IpAddress.parse("2001:db8::1"))).isNull();
    }
  }

  @Test
  void aFileThatIsNeitherIsRefusedByName() throws IOException {
    Path junk = dir.resolve("junk.mmdb");
    Files.writeString(junk, "not a database");
    assertThatThrownBy(() -> GeoDatabases.open(junk, "en"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            junk + ": neither an ip2region xdb nor a MaxMind-format (.mmdb) database");
  }

  @Test
  void laterDatabasesFillWhatEarlierOnesLeaveEmpty() {
    Geo city = new Geo("China", "Jilin Sheng", "Changchun", null, null);
    assertThat(city.orElse(new Geo("CN", null, null, "Telecom", "AS4134")))
        .isEqualTo(new Geo("China", "Jilin Sheng", "Changchun", "Telecom", "AS4134"));
  }
}
