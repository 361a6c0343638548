package org.minewatch.model;

/**
 * {@code HOST:PORT} as people write it ({@code [ADDRESS]:PORT} for IPv6), split and checked; the
 * host is neither resolved nor parsed here.
 */
public record HostPort(String host, int port) {
  /**
   * @param what how the host is called in messages: "HOST" where names are allowed, "ADDRESS" where
   *     not
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static HostPort parse(String text, String what) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(text + ": expected " + what + ":PORT");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(text + ": write an IPv6 endpoint as [ADDRESS]:PORT");
    }
    String p = text.substring(colon + 1);
    // ASCII digits only: Character.isDigit would take other scripts' digits.
    if (p.length() > 5
        || !p.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(p) < 1
        || Integer.parseInt(p) > 65535) {
      throw new IllegalArgumentException(text + ": the port must be 1..65535");
    }
    return new HostPort(host, Integer.parseInt(p));
  }
}
