package org.minewatch.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.minewatch.attribution.registry.CreditCode;

/**
 * A synthetic province for {@link GovernanceIngest}: a unit registry (CSV as for {@code
 * --registry}) and distinct findings as the JSON lines {@code minewatch scan -f jsonl} writes (same
 * keys, same order, numbers to 4 significant digits), cut into the push client's batches (at most
 * 500 lines and 1 MiB).
 *
 * <p>Units hold one to four /24s in 10.0.0.0/8 and 172.16.0.0/12, in real GB/T 2260 districts of
 * Jiangsu (a third of them in Nanjing, 3201xx) and a few of Zhejiang and Sichuan; their credit
 * codes carry the district and a valid check character. How many findings a unit has is
 * heavy-tailed (most units a handful of hosts, a few farms and compromised fleets hundreds). What
 * they mine follows the unit's category: XMRig on public bodies' and firms' servers (compromised;
 * many of these units share a fleet's wallet, so their cases link), Bitcoin ASICs in data centres
 * and firms (pool accounts, some shared by a hosting operation), Ethereum GPU rigs at home,
 * in-browser miners and encrypted sessions flagged by behaviour on mobile networks. A few percent
 * of the findings come from addresses no unit holds (100.64.0.0/10), each of which opens a case of
 * its own. The lines come in address order, as {@code minewatch scan} writes a capture's miners (so
 * a batch of 500 holds the hosts of a few units), or shuffled across the province (a batch touches
 * hundreds of units, as live findings from many networks would). Everything is drawn from one seed.
 */
final class FindingsWorkload {
  static final int BATCH_LINES = 500;
  static final int BATCH_BYTES = 1 << 20;
  private static final JsonFactory JSON = new JsonFactory();
  private static final Instant MONTH = Instant.parse("2021-11-01T00:00:00Z");

  /** A GB/T 2260 district. */
  record Region(String code, String city, String district, int weight) {}

  static final List<Region> REGIONS =
      List.of(
          new Region("320102", "南京市", "玄武区", 6),
          new Region("320104", "南京市", "秦淮区", 5),
          new Region("320105", "南京市", "建邺区", 5),
          new Region("320106", "南京市", "鼓楼区", 6),
          new Region("320111", "南京市", "浦口区", 3),
          new Region("320113", "南京市", "栖霞区", 4),
          new Region("320114", "南京市", "雨花台区", 3),
          new Region("320115", "南京市", "江宁区", 5),
          new Region("320205", "无锡市", "锡山区", 2),
          new Region("320206", "无锡市", "惠山区", 2),
          new Region("320211", "无锡市", "滨湖区", 3),
          new Region("320213", "无锡市", "梁溪区", 3),
          new Region("320214", "无锡市", "新吴区", 3),
          new Region("320302", "徐州市", "鼓楼区", 2),
          new Region("320303", "徐州市", "云龙区", 2),
          new Region("320311", "徐州市", "泉山区", 2),
          new Region("320402", "常州市", "天宁区", 2),
          new Region("320404", "常州市", "钟楼区", 2),
          new Region("320411", "常州市", "新北区", 2),
          new Region("320505", "苏州市", "虎丘区", 4),
          new Region("320506", "苏州市", "吴中区", 4),
          new Region("320507", "苏州市", "相城区", 3),
          new Region("320508", "苏州市", "姑苏区", 4),
          new Region("320509", "苏州市", "吴江区", 3),
          new Region("320602", "南通市", "崇川区", 3),
          new Region("330106", "杭州市", "西湖区", 2),
          new Region("330108", "杭州市", "滨江区", 2),
          new Region("510104", "成都市", "锦江区", 1),
          new Region("510107", "成都市", "武侯区", 1));

  enum Profile {
    XMR,
    BTC,
    ETH,
    WEB,
    BEHAVIOUR
  }

  /**
   * Category label, share of units, credit-code prefix (null: no code), and what it mines, by
   * weight.
   */
  record Category(String label, int share, String codePrefix, String noun, int[] profileWeights) {}

  static final List<Category> CATEGORIES =
      List.of(
          new Category("government", 6, "11MB", "发展和改革局", new int[] {90, 5, 5, 0, 0}),
          new Category("public-institution", 10, "12MB", "信息中心", new int[] {85, 5, 10, 0, 0}),
          new Category("university", 8, "12MB", "职业技术学院", new int[] {70, 5, 25, 0, 0}),
          new Category("soe", 8, "91MA", "能源集团有限公司", new int[] {50, 40, 10, 0, 0}),
          new Category("enterprise", 38, "91MA", "科技有限公司", new int[] {45, 35, 20, 0, 0}),
          new Category("idc", 8, "91MA", "云计算数据中心有限公司", new int[] {25, 70, 5, 0, 0}),
          new Category("residential", 17, null, "家庭宽带用户", new int[] {20, 5, 60, 10, 5}),
          new Category("mobile", 5, "91MA", "移动通信分公司", new int[] {10, 0, 10, 40, 40}));

  record Unit(
      int index,
      String name,
      String code,
      Category category,
      Region region,
      String address,
      List<int[]> blocks,
      Profile profile,
      int fleet) {
    String regionName() {
      return region.city() + region.district();
    }
  }

  /**
   * One finding before it is written: whose, which host, which profile, primary or secondary
   * protocol.
   */
  private record Spec(Unit unit, int host, Profile profile, boolean secondary) {}

  final String registryCsv;
  final List<Unit> units;
  final List<byte[]> batches = new ArrayList<>();
  final int findings;
  final int unattributed;
  final int fleets;
  long bytes;
  int longestBatch;

  private final long seed;
  private final List<String> fleetWallets = new ArrayList<>();
  private final List<String> fleetAccounts = new ArrayList<>();

  /**
   * The order of the lines: as one scan writes them (by address), or shuffled across the province.
   */
  enum Order {
    HOST,
    SHUFFLED
  }

  final Order order;

  private FindingsWorkload(int n, int unitCount, long seed, Order order) {
    this.order = order;
    this.seed = seed;
    Random r = new Random(seed);
    this.units = makeUnits(unitCount, r);
    this.fleets = Math.max(1, unitCount / 50);
    for (int i = 0; i < fleets; i++) {
      fleetWallets.add(moneroAddress(new Random(seed ^ (0x5eedL + i))));
      fleetAccounts.add("hosting" + String.format(Locale.ROOT, "%03d", i));
    }
    this.registryCsv = registry(units);
    this.unattributed = Math.max(1, n * 3 / 100);
    List<Spec> specs = specs(n, r);
    this.findings = specs.size();
    Collections.shuffle(specs, r);
    if (order == Order.HOST) {
      // minewatch scan writes a capture's miners by address; the shuffle above only decides who
      // comes first of a
      // host's two findings.
      specs.sort(java.util.Comparator.comparingLong(x -> x.host() & 0xffffffffL));
    }
    cut(specs);
  }

  static FindingsWorkload generate(int n, int units, long seed, Order order) {
    return new FindingsWorkload(n, units, seed, order);
  }

  // ------------------------------------------------------------------ units and registry

  private static List<Unit> makeUnits(int count, Random r) {
    int regionTotal = REGIONS.stream().mapToInt(Region::weight).sum();
    int categoryTotal = CATEGORIES.stream().mapToInt(Category::share).sum();
    List<Unit> out = new ArrayList<>();
    int block = 0;
    for (int i = 0; i < count; i++) {
      Region region = pick(REGIONS, Region::weight, regionTotal, r);
      Category c = pick(CATEGORIES, Category::share, categoryTotal, r);
      int nBlocks = c.label().equals("idc") ? 2 + r.nextInt(3) : r.nextInt(5) == 0 ? 2 : 1;
      List<int[]> blocks = new ArrayList<>();
      for (int b = 0; b < nBlocks; b++, block++) {
        // Alternate between 10.64.0.0/10 and 172.16.0.0/12: neighbouring units do not share a /16.
        int k = block / 2;
        blocks.add(
            block % 2 == 0
                ? new int[] {10, 64 + k / 256, k % 256}
                : new int[] {172, 16 + k / 256, k % 256});
      }
      String serial = String.format(Locale.ROOT, "%04d", i + 1);
      String name = region.city() + region.district() + "示例" + c.noun() + serial;
      String code =
          c.codePrefix() == null
              ? null
              : CreditCode.withCheck(
                  c.codePrefix().substring(0, 2)
                      + region.code()
                      + c.codePrefix().substring(2)
                      + String.format(Locale.ROOT, "%07d", i + 1));
      String address = region.city() + region.district() + "示例路" + (1 + r.nextInt(300)) + "号";
      int[] w = c.profileWeights();
      int total = 0;
      for (int x : w) {
        total += x;
      }
      int roll = r.nextInt(total);
      Profile p = Profile.values()[0];
      for (int k = 0; k < w.length; k++) {
        if (roll < w[k]) {
          p = Profile.values()[k];
          break;
        }
        roll -= w[k];
      }
      // Half the XMRig units are hosts of a compromised fleet; a third of the Bitcoin units mine
      // for a hosting operation.
      int fleet =
          (p == Profile.XMR && r.nextInt(2) == 0) || (p == Profile.BTC && r.nextInt(3) == 0)
              ? r.nextInt(1 << 20)
              : -1;
      out.add(new Unit(i, name, code, c, region, address, blocks, p, fleet));
    }
    return out;
  }

  private static <T> T pick(
      List<T> items, java.util.function.ToIntFunction<T> weight, int total, Random r) {
    int roll = r.nextInt(total);
    for (T t : items) {
      roll -= weight.applyAsInt(t);
      if (roll < 0) {
        return t;
      }
    }
    throw new IllegalStateException();
  }

  private static String registry(List<Unit> units) {
    StringBuilder b =
        new StringBuilder("range,unit,code,category,region_code,region,address,contact\n");
    for (Unit u : units) {
      for (int[] k : u.blocks()) {
        b.append(k[0])
            .append('.')
            .append(k[1])
            .append('.')
            .append(k[2])
            .append(".0/24,")
            .append(u.name())
            .append(',')
            .append(u.code() == null ? "" : u.code())
            .append(',')
            .append(u.category().label())
            .append(',')
            .append(u.region().code())
            .append(',')
            .append(u.regionName())
            .append(',')
            .append(u.address())
            .append(',')
            .append("noc")
            .append(u.index() + 1)
            .append("@unit.example.cn\n");
      }
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ findings

  private List<Spec> specs(int n, Random r) {
    int attributed = n - unattributed;
    // Heavy-tailed sizes (Pareto, shape 1.2), capped by the unit's addresses (two findings per host
    // at most).
    double[] w = new double[units.size()];
    double sum = 0;
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.pow(1 - r.nextDouble(), -1 / 1.2);
      sum += w[i];
    }
    int[] count = new int[w.length];
    int[] cap = new int[w.length];
    int assigned = 0;
    for (int i = 0; i < w.length; i++) {
      cap[i] = units.get(i).blocks().size() * 254 * 2;
      count[i] = Math.min(cap[i], Math.max(1, (int) Math.round(attributed * w[i] / sum)));
      assigned += count[i];
    }
    while (assigned != attributed) {
      int i = r.nextInt(w.length);
      if (assigned < attributed && count[i] < cap[i]) {
        count[i]++;
        assigned++;
      } else if (assigned > attributed && count[i] > 1) {
        count[i]--;
        assigned--;
      }
    }
    List<Spec> out = new ArrayList<>(n);
    for (Unit u : units) {
      int hosts = u.blocks().size() * 254;
      List<Integer> order = new ArrayList<>(hosts);
      for (int h = 0; h < hosts; h++) {
        order.add(h);
      }
      Collections.shuffle(order, r);
      int c = count[u.index()];
      for (int k = 0; k < c; k++) {
        int h = order.get(k % hosts);
        int[] blk = u.blocks().get(h / 254);
        int address = blk[0] << 24 | blk[1] << 16 | blk[2] << 8 | (1 + h % 254);
        boolean secondary = k >= hosts;
        Profile p =
            secondary
                ? (u.profile() == Profile.BEHAVIOUR ? Profile.WEB : Profile.BEHAVIOUR)
                : u.profile();
        out.add(new Spec(u, address, p, secondary));
      }
    }
    Set<Integer> used = new HashSet<>();
    while (used.size() < unattributed) {
      int address =
          100 << 24 | (64 + r.nextInt(64)) << 16 | r.nextInt(256) << 8 | (1 + r.nextInt(254));
      if (used.add(address)) {
        out.add(new Spec(null, address, r.nextInt(3) == 0 ? Profile.ETH : Profile.XMR, false));
      }
    }
    return out;
  }

  private void cut(List<Spec> specs) {
    ByteArrayOutputStream batch = new ByteArrayOutputStream(BATCH_BYTES + 8192);
    int lines = 0;
    for (int i = 0; i < specs.size(); i++) {
      // Drawn from the finding's own identity, so that both orders hold the same lines.
      Spec spec = specs.get(i);
      Random own =
          new Random(seed * 31 + ((spec.host() & 0xffffffffL) << 3) + spec.profile().ordinal());
      byte[] line = (line(spec, own) + "\n").getBytes(StandardCharsets.UTF_8);
      if (lines > 0 && (lines == BATCH_LINES || batch.size() + line.length > BATCH_BYTES)) {
        flush(batch);
        lines = 0;
      }
      batch.write(line, 0, line.length);
      lines++;
      bytes += line.length;
    }
    if (lines > 0) {
      flush(batch);
    }
  }

  private void flush(ByteArrayOutputStream batch) {
    batches.add(batch.toByteArray());
    longestBatch = Math.max(longestBatch, batch.size());
    batch.reset();
  }

  private static String ip(int a) {
    return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
  }

  private static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static String micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS).toString();
  }

  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  private static String moneroAddress(Random r) {
    StringBuilder b = new StringBuilder("4");
    b.append("123456789AB".charAt(r.nextInt(11)));
    for (int i = 0; i < 93; i++) {
      b.append(BASE58.charAt(r.nextInt(BASE58.length())));
    }
    return b.toString();
  }

  private static String hex(Random r, int digits) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < digits; i++) {
      b.append(Character.forDigit(r.nextInt(16), 16));
    }
    return b.toString();
  }

  private static String operation(String of) {
    return "op-" + String.format(Locale.ROOT, "%08x", of.hashCode() * 0x9E3779B1);
  }

  /** One line of {@code minewatch scan -f jsonl}, keys in the writer's order. */
  private String line(Spec s, Random r) {
    Unit u = s.unit();
    String host = ip(s.host());
    int port = 40000 + r.nextInt(25000);
    Instant first =
        MONTH.plusSeconds(r.nextInt(29 * 86400)).plusNanos(r.nextInt(1000) * 1_000_000L);
    long duration = 20 + (long) (Math.pow(r.nextDouble(), 3) * 3 * 86400);
    Instant last = first.plusSeconds(duration).plusNanos(r.nextInt(1000) * 1_000_000L);
    // A unit's own wallet and account; a fleet's where the unit belongs to one (70% of its hosts).
    Random unitRandom = new Random(seed ^ (u == null ? s.host() : u.index() * 7919L));
    boolean inFleet = u != null && u.fleet() >= 0 && r.nextInt(10) < 7;
    String verdict = "mining";
    String coin = null;
    String protocol;
    String login = null;
    String worker = null;
    String agent = null;
    String pool = null;
    String wallet = null;
    String algorithm = null;
    String poolAddress;
    double rate = Double.NaN;
    double rateLow = 0;
    double rateHigh = 0;
    int shares = 0;
    double[] eff = null;
    String basis = null;
    Double reported = null;
    List<String> evidence = new ArrayList<>();
    String assessment = null;
    List<String> reasons = new ArrayList<>();
    String what =
        u == null ? "" : " on a host of " + u.name() + ", a " + u.category().label() + " unit";
    switch (s.profile()) {
      case XMR -> {
        coin = "monero";
        protocol = "stratum-xmr";
        algorithm = "randomx";
        wallet =
            inFleet ? fleetWallets.get(u.fleet() % fleetWallets.size()) : moneroAddress(unitRandom);
        login = wallet;
        agent =
            "XMRig/6."
                + (10 + r.nextInt(12))
                + "."
                + r.nextInt(5)
                + " (Linux x86_64) libuv/1.4"
                + r.nextInt(5)
                + ".0 gcc/9.3.0";
        pool = new String[] {"C3Pool", "MoneroOcean", "HashVault", null}[unitRandom.nextInt(4)];
        poolAddress =
            "203.0.113."
                + (10 + unitRandom.nextInt(200))
                + ":"
                + new int[] {3333, 10128, 13333, 5555}[unitRandom.nextInt(4)];
        shares = 5 + r.nextInt(60);
        rate = 300 + r.nextDouble() * 7700;
        rateLow = rate * 0.45;
        rateHigh = rate * 1.95;
        eff = new double[] {0.0125, 0.025, 0.05};
        basis =
            "randomx on cpu: CPUs: about 40 H/J typical; 80 H/J for recent desktop CPUs; 20 H/J for older servers; PUE 1.0";
        String flow = "TCP " + host + ":" + port + " -> " + poolAddress + " at ";
        evidence.add(
            "login "
                + wallet
                + " is a valid monero mainnet standard address (keccak-256 checksum verified)");
        evidence.add(flow + micros(first) + ": client sent login (agent \"" + agent + "\")");
        evidence.add(
            flow
                + micros(first.plusNanos(402_000))
                + ": server sent login accepted with a job (target b88d0600, algorithm rx/0)");
        evidence.add(flow + micros(first.plusSeconds(15)) + ": client sent share submit");
        evidence.add(
            flow
                + micros(last)
                + ": "
                + (shares + 3)
                + " mining messages in all: 1 × login, 1 × login accepted "
                + "with a job, "
                + shares
                + " × share submit, 1 × keepalived; "
                + shares
                + " shares accepted over "
                + duration
                + " s (randomx work "
                + sci(rate * duration)
                + " hashes)");
        if (u != null) {
          boolean publicBody =
              Set.of("government", "public-institution", "university", "soe")
                  .contains(u.category().label());
          assessment =
              publicBody || u.category().label().equals("idc") ? "compromised" : "undetermined";
          if (assessment.equals("compromised")) {
            reasons.add(
                "compromise: XMRig-family miner ("
                    + agent
                    + ")"
                    + what
                    + ", where servers do not mine by design");
          }
        }
      }
      case BTC -> {
        coin = "bitcoin";
        protocol = "stratum-v1";
        algorithm = "sha256d";
        String account =
            inFleet
                ? fleetAccounts.get(u.fleet() % fleetAccounts.size())
                : "acct" + (u == null ? s.host() : u.index());
        worker = String.format(Locale.ROOT, "s19-%03d", s.host() & 255);
        login = account + "." + worker;
        agent =
            new String[] {"bmminer/2.0.0", "cgminer/4.11.1", "btminer/3.1"}[unitRandom.nextInt(3)];
        pool = new String[] {"F2Pool", "AntPool", "ViaBTC", "Poolin"}[unitRandom.nextInt(4)];
        poolAddress =
            "198.51.100."
                + (10 + unitRandom.nextInt(200))
                + ":"
                + new int[] {3333, 1800, 25, 443}[unitRandom.nextInt(4)];
        shares = 5 + r.nextInt(200);
        rate = (80 + r.nextDouble() * 40) * 1e12;
        rateLow = rate * 0.6;
        rateHigh = rate * 1.5;
        eff = new double[] {15e-12, 30e-12, 100e-12};
        basis =
            "sha256d on asic: Bitmain spec sheets: Antminer S21 (~17.5 J/TH) to S19 (~29.5-34.5) to S9 (~98); PUE 1.0";
        String flow = "TCP " + host + ":" + port + " -> " + poolAddress + " at ";
        evidence.add(
            flow + micros(first) + ": client sent mining.subscribe (agent \"" + agent + "\")");
        evidence.add(
            flow + micros(first.plusNanos(402_000)) + ": server sent subscription granted");
        evidence.add(
            flow
                + micros(first.plusNanos(804_000))
                + ": client sent mining.authorize (user \""
                + login
                + "\")");
        evidence.add(
            flow
                + micros(first.plusNanos(1_206_000))
                + ": server sent mining.notify (Bitcoin-style job "
                + "(coinbase parts and merkle branch))");
        evidence.add(
            flow
                + micros(last)
                + ": "
                + (shares + 4)
                + " mining messages in all: 1 × mining.subscribe, 1 × "
                + "subscription granted, 1 × mining.authorize, 1 × mining.notify, "
                + shares
                + " × mining.submit; "
                + shares
                + " shares accepted over "
                + duration
                + " s (sha256d work "
                + sci(rate * duration)
                + " hashes)");
        if (u != null) {
          assessment = "deliberate";
          reasons.add("deliberate: ASIC miner software (" + agent + "): dedicated mining hardware");
        }
      }
      case ETH -> {
        coin = "ethereum";
        protocol = r.nextInt(3) == 0 ? "ethereum-stratum" : "eth-proxy";
        algorithm = "ethash";
        wallet = "0x" + hex(unitRandom, 40);
        login = wallet;
        worker = "rig" + String.format(Locale.ROOT, "%02d", r.nextInt(40));
        agent = r.nextBoolean() ? null : "ethminer/0.19.0";
        pool = new String[] {"Ethermine", "Hiveon", "F2Pool", null}[unitRandom.nextInt(4)];
        poolAddress =
            "198.51.100."
                + (10 + unitRandom.nextInt(200))
                + ":"
                + new int[] {4444, 8008, 14444}[unitRandom.nextInt(3)];
        shares = 5 + r.nextInt(40);
        rate = (30 + r.nextDouble() * 220) * 1e6;
        rateLow = rate * 0.5;
        rateHigh = rate * 1.8;
        reported = Math.round(rate * (0.9 + r.nextDouble() * 0.2) / 1e4) * 1e4;
        eff = new double[] {2.0e-6, 3.33e-6, 5.0e-6};
        basis =
            "ethash on gpu: GPU rigs: about 0.3 MH/J typical; 0.5 MH/J tuned cards; 0.2 MH/J older Polaris cards; PUE 1.0";
        String flow = "TCP " + host + ":" + port + " -> " + poolAddress + " at ";
        evidence.add(
            "login "
                + wallet
                + " is a valid ethereum mainnet account address (hex (no checksum in one case) checksum verified)");
        evidence.add(
            flow + micros(first) + ": client sent eth_submitLogin (login \"" + wallet + "\")");
        evidence.add(
            flow
                + micros(first.plusNanos(804_000))
                + ": server sent work package (header hash, seed hash and share boundary)");
        evidence.add(
            flow
                + micros(last.minusNanos(804_000))
                + ": client sent eth_submitHashrate (reports "
                + String.format(Locale.ROOT, "%.2f", reported / 1e6)
                + " MH/s)");
        evidence.add(
            flow
                + micros(last)
                + ": "
                + (shares + 3)
                + " mining messages in all: 1 × eth_submitLogin, 1 × "
                + "work package, "
                + shares
                + " × eth_submitWork, 1 × eth_submitHashrate; "
                + shares
                + " shares accepted over "
                + duration
                + " s (ethash work "
                + sci(rate * duration)
                + " hashes)");
        if (u != null) {
          assessment = "undetermined";
        }
      }
      case WEB -> {
        verdict = "likely";
        coin = "monero";
        protocol = "web-miner-ws";
        agent =
            "Mozilla/5.0 (Linux; Android 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/95.0.4638.74 Mobile Safari/537.36";
        poolAddress = "192.0.2." + (10 + unitRandom.nextInt(200)) + ":443";
        String key = hex(unitRandom, 32);
        login = key;
        evidence.add(
            "WebSocket "
                + host
                + ":"
                + port
                + " -> "
                + poolAddress
                + " at "
                + micros(first)
                + ": browser sent a Coinhive-style auth message (site key "
                + key
                + ")");
        evidence.add(
            "WebSocket "
                + host
                + ":"
                + port
                + " -> "
                + poolAddress
                + " at "
                + micros(first.plusSeconds(2))
                + ": server sent job (blob and target, cryptonight variant)");
        evidence.add(
            "WebSocket "
                + host
                + ":"
                + port
                + " -> "
                + poolAddress
                + " at "
                + micros(last)
                + ": "
                + (3 + r.nextInt(30))
                + " submit messages over "
                + duration
                + " s");
        if (u != null) {
          assessment = "undetermined";
        }
      }
      default -> {
        verdict = "likely";
        protocol = "mining-behaviour";
        poolAddress =
            "192.0.2."
                + (10 + unitRandom.nextInt(200))
                + ":"
                + new int[] {443, 3333, 8443}[unitRandom.nextInt(3)];
        evidence.add(
            "TCP "
                + host
                + ":"
                + port
                + " -> "
                + poolAddress
                + " at "
                + micros(first)
                + ": an encrypted flow "
                + "of "
                + duration
                + " s shaped like a mining session: small client messages every "
                + (10 + r.nextInt(40))
                + " s, each answered within 1 ms, and server pushes between them (behaviour model, "
                + "score 0."
                + (80 + r.nextInt(19))
                + ")");
        evidence.add(
            "TCP "
                + host
                + ":"
                + port
                + " -> "
                + poolAddress
                + ": the server's name matches no known pool; "
                + "the verdict rests on the shape alone");
        if (u != null) {
          assessment = "undetermined";
        }
      }
    }
    StringWriter out = new StringWriter(3072);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      g.writeStartObject();
      g.writeStringField("host", host);
      g.writeStringField("role", "miner");
      g.writeStringField("verdict", verdict);
      g.writeStringField("coin", coin);
      g.writeStringField("protocol", protocol);
      g.writeArrayFieldStart("peers");
      g.writeString(poolAddress);
      g.writeEndArray();
      g.writeStringField("login", login);
      g.writeStringField("worker", worker);
      g.writeStringField("agent", agent);
      g.writeStringField("first_seen", time(first));
      g.writeStringField("last_seen", time(last));
      g.writeNumberField("flows", 1 + (duration > 3600 ? r.nextInt(5) : 0));
      g.writeNumberField("bytes", 800 + shares * 180L + r.nextInt(2000));
      g.writeArrayFieldStart("evidence");
      for (String e : evidence) {
        g.writeString(e);
      }
      g.writeEndArray();
      g.writeStringField("source", "packets");
      g.writeStringField("pool_name", pool);
      g.writeStringField("wallet", wallet);
      g.writeStringField(
          "operation",
          wallet != null
              ? operation(wallet)
              : login != null ? operation(login.split("\\.")[0]) : null);
      g.writeStringField("algorithm", algorithm);
      if (Double.isNaN(rate)) {
        g.writeNullField("hashrate");
        g.writeArrayFieldStart("workers");
        g.writeEndArray();
        g.writeNullField("reported_hashrate");
        g.writeNullField("power_w");
        g.writeNullField("kwh_per_day");
      } else {
        hashrate(g, "hashrate", rate, rateLow, rateHigh, shares);
        g.writeArrayFieldStart("workers");
        if (worker != null) {
          g.writeStartObject();
          g.writeStringField("name", worker);
          hashrate(g, "hashrate", rate, rateLow, rateHigh, shares);
          g.writeEndObject();
        }
        g.writeEndArray();
        number(g, "reported_hashrate", reported);
        double wl = rateLow * eff[0];
        double wb = rate * eff[1];
        double wh = rateHigh * eff[2];
        g.writeObjectFieldStart("power_w");
        number(g, "low", wl);
        number(g, "best", wb);
        number(g, "high", wh);
        g.writeStringField("basis", basis);
        g.writeEndObject();
        g.writeObjectFieldStart("kwh_per_day");
        number(g, "low", wl * 24 / 1000);
        number(g, "best", wb * 24 / 1000);
        number(g, "high", wh * 24 / 1000);
        g.writeEndObject();
      }
      g.writeNullField("tls");
      if (u == null) {
        g.writeNullField("unit");
      } else {
        g.writeObjectFieldStart("unit");
        g.writeStringField("name", u.name());
        g.writeStringField("code", u.code());
        g.writeStringField("category", u.category().label());
        g.writeStringField("region_code", u.region().code());
        g.writeStringField("region", u.regionName());
        g.writeStringField("address", u.address());
        g.writeEndObject();
      }
      g.writeNullField("geo");
      if (assessment == null) {
        g.writeNullField("assessment");
      } else {
        g.writeObjectFieldStart("assessment");
        g.writeStringField("kind", assessment);
        g.writeArrayFieldStart("reasons");
        for (String x : reasons) {
          g.writeString(x);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String sci(double v) {
    return String.format(Locale.ROOT, "%.3e", v);
  }

  private static void hashrate(
      JsonGenerator g, String name, double value, double low, double high, int shares)
      throws IOException {
    g.writeObjectFieldStart(name);
    number(g, "value", value);
    g.writeStringField("unit", "H/s");
    number(g, "low", low);
    number(g, "high", high);
    g.writeNumberField("shares", shares);
    g.writeStringField("method", "shares");
    g.writeEndObject();
  }

  /** As the scan's writer: 4 significant digits, plain notation. */
  private static void number(JsonGenerator g, String name, Double v) throws IOException {
    if (v == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros());
    }
  }
}
