package org.minewatch.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;

/**
 * The networks an operator allows the probe to connect to, as CIDR blocks. Nothing outside them is
 * ever probed, and an empty list is refused: probing is opt-in per network, never implied.
 */
public final class AllowList {
  private record Block(byte[] network, int prefix, String text) {
    boolean contains(byte[] a) {
      if (a.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }
  }

  /**
   * Ranges that are never what an operator means by "a suspect's server" (the probing host itself,
   * the link, the cloud metadata service at 169.254.169.254, addresses that embed another IPv4
   * address): refused unless the allow-list block that admits the address lies inside the range
   * itself, so {@code --probe-allow 127.0.0.0/8} still allows loopback, {@code 0.0.0.0/0} does not.
   */
  private static final List<Block> SPECIAL =
      List.of(
          special("127.0.0.0/8", "a loopback address"),
          special("::1/128", "a loopback address"),
          special("169.254.0.0/16", "a link-local address"),
          special("fe80::/10", "a link-local address"),
          special("64:ff9b::/96", "a NAT64 address"),
          special("2002::/16", "a 6to4 address"));

  /** The narrowest block allowed without {@code --probe-allow-wide}: /8 for IPv4, /16 for IPv6. */
  static final int MIN_PREFIX_V4 = 8;

  static final int MIN_PREFIX_V6 = 16;

  private final List<Block> blocks;

  private AllowList(List<Block> blocks) {
    this.blocks = blocks;
  }

  private static Block special(String cidr, String what) {
    Block b = block(cidr);
    return new Block(b.network(), b.prefix(), what);
  }

  /** {@link #parse(List, boolean)} without {@code --probe-allow-wide}. */
  public static AllowList parse(List<String> cidrs) {
    return parse(cidrs, false);
  }

  /**
   * Parses blocks such as {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address.
   *
   * @param wide whether blocks wider than /8 (IPv4) or /16 (IPv6) are allowed ({@code
   *     --probe-allow-wide})
   * @throws IllegalArgumentException naming the block and what is wrong with it, or if there is
   *     none
   */
  public static AllowList parse(List<String> cidrs, boolean wide) {
    if (cidrs == null || cidrs.isEmpty()) {
      throw new IllegalArgumentException(
          "no network is allowed to be probed: give at least one --probe-allow CIDR");
    }
    List<Block> blocks = new ArrayList<>();
    for (String text : cidrs) {
      Block b = block(text.trim());
      int min = b.network().length == 4 ? MIN_PREFIX_V4 : MIN_PREFIX_V6;
      if (!wide && b.prefix() < min) {
        throw new IllegalArgumentException(
            "--probe-allow "
                + b.text()
                + ": a /"
                + b.prefix()
                + " block is wider than /"
                + min
                + ", the widest allowed for "
                + (min == MIN_PREFIX_V4 ? "IPv4" : "IPv6")
                + "; give --probe-allow-wide if you mean it");
      }
      blocks.add(b);
    }
    return new AllowList(List.copyOf(blocks));
  }

  private static Block block(String text) {
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    byte[] address;
    try {
      // IpAddress.parse accepts literals only, so a CIDR is never resolved as a host name.
      IpAddress parsed = IpAddress.parse(addressText);
      address = InetAddress.getByName(parsed.toString()).getAddress();
    } catch (IllegalArgumentException | UnknownHostException e) {
      throw new IllegalArgumentException(
          "--probe-allow " + text + ": " + addressText + " is not an IP address");
    }
    int max = address.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = text.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException(
            "--probe-allow " + text + ": the prefix length is not a number");
      }
      prefix = Integer.parseInt(p);
      if (prefix > max) {
        throw new IllegalArgumentException(
            "--probe-allow "
                + text
                + ": the prefix length must be 0.."
                + max
                + " for "
                + (max == 32 ? "IPv4" : "IPv6"));
      }
    }
    Block b = new Block(address, prefix, text);
    // Host bits set usually mean a typo in the prefix; say so rather than widen or narrow silently.
    byte[] network = address.clone();
    for (int bit = prefix; bit < max; bit++) {
      network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    if (!java.util.Arrays.equals(network, address)) {
      throw new IllegalArgumentException(
          "--probe-allow "
              + text
              + ": host bits are set after the /"
              + prefix
              + " prefix (the network is "
              + addressOf(network)
              + "/"
              + prefix
              + ")");
    }
    return b;
  }

  private static String addressOf(byte[] b) {
    return IpAddress.fromBytes(b).toString();
  }

  public boolean allows(InetAddress address) {
    return refusal(address.getAddress()) == null;
  }

  public boolean allows(IpAddress address) {
    return refusal(address, 1) == null;
  }

  public boolean allows(Endpoint endpoint) {
    return refusal(endpoint.address(), endpoint.port()) == null;
  }

  /**
   * Why the endpoint may not be probed, to follow "ENDPOINT is ", e.g. "outside the networks
   * allowed to be probed (10.0.0.0/8)"; null if it may be.
   */
  public String refusal(Endpoint endpoint) {
    return refusal(endpoint.address(), endpoint.port());
  }

  /**
   * Whether a {@link #refusal} is only that the address is in no allowed block (no special range).
   */
  public boolean outside(Endpoint endpoint) {
    String r = refusal(endpoint);
    return r != null && r.startsWith(OUTSIDE);
  }

  private static final String OUTSIDE = "outside the networks allowed to be probed";

  private String refusal(IpAddress address, int port) {
    if (port < 1 || port > 65535) {
      return "on port " + port + ", which is never probed";
    }
    try {
      return refusal(InetAddress.getByName(address.toString()).getAddress());
    } catch (UnknownHostException e) {
      return "not an address"; // a literal never needs a look-up; refuse rather than guess
    }
  }

  private String refusal(byte[] a) {
    boolean zero = true;
    boolean ones = true;
    for (byte x : a) {
      zero &= x == 0;
      ones &= x == (byte) 0xff;
    }
    if (zero) {
      return "an unspecified address, which is never probed";
    }
    if (a.length == 4 && ones) {
      return "the broadcast address, which is never probed";
    }
    if (a.length == 4 ? (a[0] & 0xf0) == 0xe0 : a[0] == (byte) 0xff) {
      return "a multicast address, which is never probed";
    }
    if (blocks.stream().noneMatch(b -> b.contains(a))) {
      return OUTSIDE + " (" + this + ")";
    }
    for (Block range : SPECIAL) {
      if (range.contains(a)) {
        for (Block b : blocks) {
          if (b.contains(a) && b.prefix() >= range.prefix() && range.contains(b.network())) {
            return null;
          }
        }
        return range.text()
            + " ("
            + addressOf(range.network())
            + "/"
            + range.prefix()
            + "), probed only when a "
            + "--probe-allow block inside "
            + addressOf(range.network())
            + "/"
            + range.prefix()
            + " admits it";
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return String.join(", ", blocks.stream().map(Block::text).toList());
  }
}
