package org.minewatch.attribution.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.minewatch.model.IpAddress;

/**
 * Random nested and disjoint ranges (IPv4 prefixes, first-last ranges, single addresses and IPv6
 * prefixes) against a brute-force answer: the narrowest range that contains the address.
 */
class UnitRegistryPropertyTest {
  private static final Unit ANY = new Unit("x", null, UnitCategory.UNKNOWN, null, null, null, null);

  /** Ranges that nest or are disjoint: children are cut out of their parent's span. */
  private static void laminar(Random r, long first, long last, int depth, List<long[]> out) {
    out.add(new long[] {first, last});
    if (depth == 0 || last - first < 4) {
      return;
    }
    int children = r.nextInt(4);
    long at = first;
    for (int i = 0; i < children && at < last; i++) {
      long start = at + (long) (r.nextDouble() * Math.min(last - at, (last - first) / 3));
      long end = Math.min(last, start + (long) (r.nextDouble() * Math.max(1, (last - first) / 3)));
      if (start > end) {
        break;
      }
      laminar(r, start, end, depth - 1, out);
      at = end + 1;
    }
  }

  private static IpAddress v4(long v) {
    return IpAddress.ofV4((int) v);
  }

  @Test
  void lookupsAgreeWithTheNarrowestContainingRange() {
    Random r = new Random(2021);
    int inChildren = 0;
    int outside = 0;
    for (int round = 0; round < 200; round++) {
      List<long[]> ranges = new ArrayList<>();
      long base = (long) r.nextInt(1 << 20) << 8;
      laminar(r, base, base + 1 + r.nextInt(1 << 16), 4, ranges);
      List<Allocation> lines = new ArrayList<>();
      for (int i = 0; i < ranges.size(); i++) {
        long[] x = ranges.get(i);
        lines.add(
            new Allocation(
                new IpRange(v4(x[0]), v4(x[1])),
                new Unit("u" + i, null, UnitCategory.UNKNOWN, null, null, null, null),
                "r",
                i + 1));
      }
      UnitRegistry reg = UnitRegistry.build(lines);
      assertThat(reg.allocations()).hasSize(ranges.size());
      long lo = ranges.get(0)[0];
      long hi = ranges.get(0)[1];
      for (int k = 0; k < 300; k++) {
        long margin = (hi - lo) / 10 + 2;
        long a = lo - margin + (long) (r.nextDouble() * (hi - lo + 2 * margin + 1));
        String expected = null;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < ranges.size(); i++) {
          long[] x = ranges.get(i);
          if (x[0] <= a && a <= x[1] && x[1] - x[0] <= best) {
            // Equal spans nest only if identical; the later line then is a repeat, refused.
            if (x[1] - x[0] < best) {
              best = x[1] - x[0];
              expected = "u" + i;
            }
          }
        }
        inChildren += expected != null && !expected.equals("u0") ? 1 : 0;
        outside += expected == null ? 1 : 0;
        Allocation got = reg.lookup(v4(a));
        assertThat(got == null ? null : got.unit().name())
            .as("round %d address %d", round, a)
            .isEqualTo(expected);
      }
    }
    // The generator must exercise nesting and the space outside, or the test proves little.
    assertThat(inChildren).isGreaterThan(5000);
    assertThat(outside).isGreaterThan(5000);
  }

  @Test
  void ipv6PrefixesNestToo() {
    List<Allocation> lines =
        List.of(
            new Allocation(
                IpRange.parse("2001:db8::/32"),
                new Unit("a", null, UnitCategory.IDC, null, null, null, null),
                "r",
                1),
            new Allocation(
                IpRange.parse("2001:db8:8000::/33"),
                new Unit("b", null, UnitCategory.IDC, null, null, null, null),
                "r",
                2),
            new Allocation(
                IpRange.parse("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
                new Unit("c", null, UnitCategory.IDC, null, null, null, null),
                "r",
                3),
            new Allocation(IpRange.parse("::/0"), ANY, "r", 4));
    UnitRegistry reg = UnitRegistry.build(lines);
    assertThat(reg.lookup(IpAddress.parse("2001:db8::1")).unit().name()).isEqualTo("a");
    assertThat(reg.lookup(IpAddress.parse("2001:db8:8000::1")).unit().name()).isEqualTo("b");
    assertThat(reg.lookup(IpAddress.parse("2001:db8:ffff:ffff:ffff:ffff:ffff:fffe")).unit().name())
        .isEqualTo("b");
    assertThat(reg.lookup(IpAddress.parse("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).unit().name())
        .isEqualTo("c");
    assertThat(reg.lookup(IpAddress.parse("2001:db9::")).unit().name()).isEqualTo("x");
    assertThat(reg.lookup(IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).unit().name())
        .isEqualTo("x");
    // ::/0 holds IPv4-mapped addresses as well: every address belongs to it.
    assertThat(reg.lookup(IpAddress.parse("192.0.2.1")).unit().name()).isEqualTo("x");
  }
}
