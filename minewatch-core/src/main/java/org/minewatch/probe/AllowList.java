package org.minewatch.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
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

  private final List<Block> blocks;

  private AllowList(List<Block> blocks) {
    this.blocks = blocks;
  }

  /**
   * Parses blocks such as {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address.
   *
   * @throws IllegalArgumentException naming the block and what is wrong with it, or if there is none
   */
  public static AllowList parse(List<String> cidrs) {
    if (cidrs == null || cidrs.isEmpty()) {
      throw new IllegalArgumentException("no network is allowed to be probed: give at least one --probe-allow CIDR");
    }
    List<Block> blocks = new ArrayList<>();
    for (String text : cidrs) {
      blocks.add(block(text.trim()));
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
      throw new IllegalArgumentException("--probe-allow " + text + ": " + addressText + " is not an IP address");
    }
    int max = address.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = text.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("--probe-allow " + text + ": the prefix length is not a number");
      }
      prefix = Integer.parseInt(p);
      if (prefix > max) {
        throw new IllegalArgumentException("--probe-allow " + text + ": the prefix length must be 0.." + max
            + " for " + (max == 32 ? "IPv4" : "IPv6"));
      }
    }
    Block b = new Block(address, prefix, text);
    // Host bits set usually mean a typo in the prefix; say so rather than widen or narrow silently.
    byte[] network = address.clone();
    for (int bit = prefix; bit < max; bit++) {
      network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    if (!java.util.Arrays.equals(network, address)) {
      throw new IllegalArgumentException("--probe-allow " + text + ": host bits are set after the /" + prefix
          + " prefix (the network is " + addressOf(network) + "/" + prefix + ")");
    }
    return b;
  }

  private static String addressOf(byte[] b) {
    return IpAddress.fromBytes(b).toString();
  }

  public boolean allows(InetAddress address) {
    byte[] a = address.getAddress();
    for (Block b : blocks) {
      if (b.contains(a)) {
        return true;
      }
    }
    return false;
  }

  public boolean allows(IpAddress address) {
    try {
      return allows(InetAddress.getByName(address.toString()));
    } catch (UnknownHostException e) {
      return false; // a literal never needs a look-up; refuse rather than guess
    }
  }

  @Override
  public String toString() {
    return String.join(", ", blocks.stream().map(Block::text).toList());
  }
}
