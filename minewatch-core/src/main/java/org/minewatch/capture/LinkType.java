package org.minewatch.capture;

/** LINKTYPE_ values (tcpdump.org/linktypes.html) that the decoder understands. */
public final class LinkType {
  public static final int NULL = 0;
  public static final int ETHERNET = 1;

  /** DLT_RAW as written by some systems (OpenBSD 12, others 14). */
  public static final int RAW_ALT_12 = 12;

  public static final int RAW_ALT_14 = 14;
  public static final int RAW = 101;
  public static final int LOOP = 108;
  public static final int LINUX_SLL = 113;
  public static final int IPV4 = 228;
  public static final int IPV6 = 229;
  public static final int LINUX_SLL2 = 276;

  private LinkType() {}

  public static boolean isSupported(int linkType) {
    return switch (linkType) {
      case NULL, ETHERNET, RAW_ALT_12, RAW_ALT_14, RAW, LOOP, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 ->
          true;
      default -> false;
    };
  }
}
