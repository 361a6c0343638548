package org.minewatch.intel;

import java.util.Locale;

/** Domain name handling shared by the catalogue, DNS, TLS and HTTP: normalised, label-wise. */
public final class DomainNames {
  private DomainNames() {}

  /** Lower case, no trailing dot, no port; null if it cannot be a host name. */
  public static String normalise(String name) {
    if (name == null) {
      return null;
    }
    if (alreadyNormal(name)) {
      return name; // the common case, names read from DNS: no copy
    }
    String n = name.strip().toLowerCase(Locale.ROOT);
    if (n.startsWith("[")) {
      return null; // an IPv6 literal
    }
    if (!n.chars().allMatch(c -> c < 128)) {
      try {
        n =
            java.net.IDN.toASCII(
                n, java.net.IDN.ALLOW_UNASSIGNED); // as it goes on the wire (punycode)
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    int colon = n.indexOf(':');
    if (colon >= 0) {
      n = n.substring(0, colon);
    }
    while (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.isEmpty() || n.length() > 253) {
      return null;
    }
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
        return null;
      }
    }
    return n;
  }

  private static boolean alreadyNormal(String n) {
    int len = n.length();
    if (len == 0 || len > 253 || n.charAt(len - 1) == '.') {
      return false;
    }
    for (int i = 0; i < len; i++) {
      char c = n.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code name} is {@code suffix} or a subdomain of it, label by label. */
  public static boolean withinDomain(String name, String suffix) {
    return name.equals(suffix)
        || (name.endsWith(suffix) && name.charAt(name.length() - suffix.length() - 1) == '.');
  }
}
