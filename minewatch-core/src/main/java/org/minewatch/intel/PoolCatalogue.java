package org.minewatch.intel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.minewatch.io.DataLines;
import org.minewatch.model.Coin;
import org.minewatch.model.IpAddress;

/**
 * Known mining pools by domain, and pool addresses from block lists. Domains match whole labels: a
 * name matches a listed domain if it is that domain or a subdomain of it. Looking up a name walks
 * its suffixes in a hash map: as many look-ups as the name has labels.
 */
public final class PoolCatalogue {
  private final List<Pool> pools;
  private final Map<String, Pool> byDomain = new HashMap<>();

  /** Domains from imported block lists with no catalogue entry: a pool of unknown name. */
  private final Set<String> listedDomains = new TreeSet<>();

  private final Set<IpAddress> listedAddresses = new java.util.HashSet<>();

  /**
   * The last two labels of every known domain: a name whose last two labels are not here matches
   * nothing, which settles almost every name seen in traffic with one look-up.
   */
  private final Set<String> tails = new java.util.HashSet<>();

  /** The same tails as hashes, sorted, for names still in wire format (DNS). */
  private long[] tailHashes = new long[0];

  private PoolCatalogue(List<Pool> pools) {
    this.pools = List.copyOf(pools);
    for (Pool p : pools) {
      for (String d : p.domains()) {
        byDomain.put(d, p);
        tails.add(tail(d));
      }
    }
    rehashTails();
  }

  public static PoolCatalogue defaults() {
    try (InputStream in = PoolCatalogue.class.getResourceAsStream("pools.csv")) {
      return parse(in, "pools.csv (built in)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PoolCatalogue empty() {
    return new PoolCatalogue(List.of());
  }

  /**
   * Reads the catalogue CSV: {@code name,domains,coins,ports,tls_ports}, lists space-separated.
   *
   * @throws IllegalArgumentException naming the source and line of a bad row
   */
  public static PoolCatalogue parse(InputStream in, String source) throws IOException {
    List<Pool> pools = new ArrayList<>();
    DataLines.read(
        in,
        source,
        -1,
        f -> {
          if (f.length != 5) {
            throw new IllegalArgumentException(
                "expected 5 columns: name,domains,coins,ports,tls_ports");
          }
          List<String> domains = new ArrayList<>();
          for (String d : words(f[1])) {
            String nd = DomainNames.normalise(d);
            if (nd == null) {
              throw new IllegalArgumentException("not a domain: " + d);
            }
            domains.add(nd);
          }
          Set<Coin> coins = new LinkedHashSet<>();
          for (String c : words(f[2])) {
            coins.add(Coin.valueOf(c.toUpperCase(Locale.ROOT).replace('-', '_')));
          }
          pools.add(
              new Pool(
                  f[0].strip(), List.copyOf(domains), Set.copyOf(coins), ports(f[3]), ports(f[4])));
        });
    return new PoolCatalogue(pools);
  }

  private static List<String> words(String s) {
    return s.isBlank() ? List.of() : Arrays.asList(s.strip().split("\\s+"));
  }

  private static Set<Integer> ports(String s) {
    Set<Integer> out = new TreeSet<>();
    for (String w : words(s)) {
      int p = Integer.parseInt(w);
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("not a port: " + w);
      }
      out.add(p);
    }
    return out;
  }

  public List<Pool> pools() {
    return pools;
  }

  /** The catalogue entry of that name, if any. */
  public Optional<Pool> byName(String name) {
    return pools.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** Adds block-list entries: domains (matched like catalogue domains) and addresses. */
  public void addListed(BlockList list) {
    listedDomains.addAll(list.domains());
    list.domains().forEach(d -> tails.add(tail(d)));
    rehashTails();
    listedAddresses.addAll(list.addresses());
  }

  /** The catalogue's pool for a host name, by whole labels. */
  public Optional<Pool> poolOf(String name) {
    String n = known(name);
    if (n == null) {
      return Optional.empty();
    }
    for (String s = n; s != null; s = parent(s)) {
      Pool p = byDomain.get(s);
      if (p != null) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * A name a person can read for the pool behind a host name: the catalogue's, or the listed
   * domain.
   */
  public Optional<String> poolName(String name) {
    String n = known(name);
    if (n == null) {
      return Optional.empty();
    }
    String listed = null;
    for (String s = n; s != null; s = parent(s)) {
      Pool p = byDomain.get(s);
      if (p != null) {
        return Optional.of(p.name());
      }
      if (listed == null && listedDomains.contains(s)) {
        listed = s;
      }
    }
    return listed == null ? Optional.empty() : Optional.of(listed + " (block list)");
  }

  /** The normalised name if its last two labels are those of a known domain, else null. */
  private String known(String name) {
    String n = DomainNames.normalise(name);
    return n != null && tails.contains(tail(n)) ? n : null;
  }

  private void rehashTails() {
    tailHashes =
        tails.stream()
            .mapToLong(
                t -> {
                  byte[] b = t.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                  return hash(b, 0, b.length, 0xcbf29ce484222325L);
                })
            .sorted()
            .toArray();
  }

  /**
   * Whether a DNS name in wire format (length-prefixed labels, uncompressed, as the first question
   * always is) could be a known domain: its last two labels are hashed where they lie, so that the
   * great majority of names cost no string at all.
   */
  public boolean mayBePoolName(byte[] b, int at, int end) {
    int last = -1;
    int beforeLast = -1;
    int p = at;
    while (p < end) {
      int l = b[p] & 0xff;
      if (l == 0) {
        break;
      }
      if ((l & 0xc0) != 0 || p + 1 + l > end) {
        return true; // not plain labels: let the full parse decide
      }
      beforeLast = last;
      last = p;
      p += 1 + l;
    }
    if (last < 0) {
      return false;
    }
    long h = 0xcbf29ce484222325L;
    if (beforeLast >= 0) {
      h = hash(b, beforeLast + 1, beforeLast + 1 + (b[beforeLast] & 0xff), h);
      h = hash(new byte[] {'.'}, 0, 1, h);
    }
    h = hash(b, last + 1, last + 1 + (b[last] & 0xff), h);
    return java.util.Arrays.binarySearch(tailHashes, h) >= 0;
  }

  /** FNV-1a over ASCII-lower-cased bytes. */
  private static long hash(byte[] b, int from, int to, long h) {
    for (int i = from; i < to; i++) {
      int c = b[i];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      h = (h ^ (c & 0xff)) * 0x100000001b3L;
    }
    return h;
  }

  /**
   * The last two labels ("nanopool.org" of "xmr-eu1.nanopool.org"), or the name if it has fewer.
   */
  static String tail(String name) {
    int last = name.lastIndexOf('.');
    if (last <= 0) {
      return name;
    }
    int before = name.lastIndexOf('.', last - 1);
    return before < 0 ? name : name.substring(before + 1);
  }

  public boolean isListedAddress(IpAddress address) {
    return listedAddresses.contains(address);
  }

  /** How many pool addresses the imported block lists hold. */
  public int listedAddresses() {
    return listedAddresses.size();
  }

  private static String parent(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? null : name.substring(dot + 1);
  }
}
