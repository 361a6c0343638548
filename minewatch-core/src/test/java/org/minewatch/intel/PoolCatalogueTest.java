package org.minewatch.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.minewatch.model.IpAddress;

class PoolCatalogueTest {
  private final PoolCatalogue catalogue = PoolCatalogue.defaults();

  @Test
  void namesMatchWholeLabels() {
    assertThat(catalogue.poolName("xmr-eu1.nanopool.org")).contains("Nanopool");
    assertThat(catalogue.poolName("NANOPOOL.ORG.")).contains("Nanopool");
    assertThat(catalogue.poolName("eu1-zcash.flypool.org")).contains("Flypool");
    assertThat(catalogue.poolName("notnanopool.org")).isEmpty();
    assertThat(catalogue.poolName("nanopool.org.example.com")).isEmpty();
    assertThat(catalogue.poolName("0.pool.ntp.org")).isEmpty();
    assertThat(catalogue.poolName("pool.ntp.org")).isEmpty();
    assertThat(catalogue.poolName("doh.crypto.sx")).isEmpty();
  }

  @Test
  void everyCatalogueRowIsWellFormed() {
    assertThat(catalogue.pools())
        .hasSizeGreaterThan(25)
        .allSatisfy(
            p -> {
              assertThat(p.domains()).isNotEmpty();
              assertThat(p.coins()).isNotEmpty();
            });
  }

  @Test
  void aBadCatalogueRowNamesItsLine() {
    String csv = "# x\nGood,good.example,monero,3333,\nBad,not a domain!,monero,3333,\n";
    assertThatThrownBy(
            () ->
                PoolCatalogue.parse(
                    new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "c.csv"))
        .hasMessage("c.csv: line 3: not a domain: domain!");
  }

  @Test
  void blockListsInEachFormatWithBadLinesReported() throws Exception {
    String text =
        "# comment\npool.example.com\n0.0.0.0 a.example.net b.example.net # two names\n"
            + "127.0.0.1 localhost\n203.0.113.7\n2001:db8::7\nnot_a_domain\n999.1.1.1 x.example\n";
    BlockList list = BlockList.read(new StringReader(text), "l.txt");
    assertThat(list.domains())
        .containsExactlyInAnyOrder("pool.example.com", "a.example.net", "b.example.net");
    assertThat(list.addresses())
        .containsExactlyInAnyOrder(IpAddress.parse("203.0.113.7"), IpAddress.parse("2001:db8::7"));
    assertThat(list.problems())
        .containsExactly(
            "l.txt: line 7: neither a domain nor an address: not_a_domain",
            "l.txt: line 8: a hosts-file line must start with an address: 999.1.1.1 x.example");
    PoolCatalogue c = PoolCatalogue.defaults();
    c.addListed(list);
    assertThat(c.poolName("eu.pool.example.com")).contains("pool.example.com (block list)");
    assertThat(c.isListedAddress(IpAddress.parse("203.0.113.7"))).isTrue();
    assertThat(c.poolName("example.com")).isEmpty();
  }

  @Test
  void readsTheCoinBlockerListsFormats() throws Exception {
    Path dir =
        Path.of("")
            .toAbsolutePath()
            .getParent()
            .getParent()
            .resolve("shared/intel/coinblockerlists");
    assumeTrue(Files.isDirectory(dir), "skipped: ../shared/intel is absent");
    BlockList domains =
        BlockList.read(Files.newBufferedReader(dir.resolve("list.txt")), "list.txt");
    BlockList hosts = BlockList.read(Files.newBufferedReader(dir.resolve("hosts")), "hosts");
    BlockList ips =
        BlockList.read(Files.newBufferedReader(dir.resolve("MiningServerIPList.txt")), "ips");
    assertThat(domains.problems()).isEmpty();
    assertThat(hosts.problems()).isEmpty();
    assertThat(ips.problems()).isEmpty();
    assertThat(domains.domains()).hasSizeGreaterThan(1000).allMatch(d -> d.contains("."));
    assertThat(hosts.domains()).hasSizeGreaterThan(1000);
    assertThat(ips.addresses()).hasSize(1026);
    assertThat(ips.domains()).isEmpty();
    // Internationalised names are kept in the form they take on the wire.
    assertThat(domains.domains()).contains(java.net.IDN.toASCII("myètherwället.com"));
  }
}
