package org.minewatch.decode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A TLS ClientHello read from the first bytes a client sends: server name, ALPN, and the lists the
 * JA3 and JA4 fingerprints are made of. GREASE values (RFC 8701) are kept here and left out of the
 * fingerprints, as their definitions say.
 */
public record TlsClientHello(
    int version,
    List<Integer> ciphers,
    List<Integer> extensions,
    String sni,
    List<String> alpn,
    List<Integer> groups,
    List<Integer> pointFormats,
    List<Integer> signatureAlgorithms,
    List<Integer> supportedVersions) {

  /** Outcome of looking at bytes that may hold a ClientHello. */
  public sealed interface Parse permits Hello, Incomplete, NotHello {}

  public record Hello(TlsClientHello hello) implements Parse {}

  public record Incomplete() implements Parse {}

  public record NotHello() implements Parse {}

  private static final int EXT_SNI = 0x0000;
  private static final int EXT_GROUPS = 0x000a;
  private static final int EXT_POINT_FORMATS = 0x000b;
  private static final int EXT_SIGNATURE_ALGORITHMS = 0x000d;
  private static final int EXT_ALPN = 0x0010;
  private static final int EXT_SUPPORTED_VERSIONS = 0x002b;

  public static boolean isGrease(int v) {
    return (v & 0x0f0f) == 0x0a0a && (v >>> 8) == (v & 0xff);
  }

  /** Whether the bytes hold a whole ClientHello record (not decoded: see {@link #parse}). */
  public static Parse frame(byte[] b, int off, int len) {
    if (len < 1) {
      return new Incomplete();
    }
    if (b[off] != 0x16) {
      return new NotHello();
    }
    if (len < 9) {
      return len >= 2 && b[off + 1] != 0x03 ? new NotHello() : new Incomplete();
    }
    if (b[off + 1] != 0x03 || (b[off + 2] & 0xff) > 0x04 || b[off + 5] != 0x01) {
      return new NotHello();
    }
    int recordLength = u16(b, off + 3);
    int helloLength = ((b[off + 6] & 0xff) << 16) | u16(b, off + 7);
    if (recordLength < 4 || helloLength + 4 > recordLength || recordLength > 16384 + 256) {
      return new NotHello();
    }
    return len < 5 + recordLength ? new Incomplete() : HELLO_FRAME;
  }

  private static final Hello HELLO_FRAME = new Hello(null);

  /**
   * Only the server name of a whole ClientHello record, found without decoding the rest; null if
   * there is none or the record is not a ClientHello.
   */
  public static String serverName(byte[] b, int off, int len) {
    if (!(frame(b, off, len) instanceof Hello)) {
      return null;
    }
    try {
      int end = off + 9 + (((b[off + 6] & 0xff) << 16) | u16(b, off + 7));
      int at = off + 9 + 2 + 32;
      at += 1 + (b[at] & 0xff);
      at += 2 + u16(b, at);
      at += 1 + (b[at] & 0xff);
      if (at + 2 > end) {
        return null;
      }
      int extEnd = Math.min(end, at + 2 + u16(b, at));
      at += 2;
      while (at + 4 <= extEnd) {
        int type = u16(b, at);
        int l = u16(b, at + 2);
        if (type == EXT_SNI && l >= 5 && b[at + 6] == 0) {
          int n = u16(b, at + 7);
          return at + 9 + n <= extEnd ? new String(b, at + 9, n, StandardCharsets.US_ASCII) : null;
        }
        at += 4 + l;
      }
      return null;
    } catch (IndexOutOfBoundsException e) {
      return null;
    }
  }

  /** Reads a TLS record holding a ClientHello at {@code off}. */
  public static Parse parse(byte[] b, int off, int len) {
    Parse framed = frame(b, off, len);
    if (!(framed instanceof Hello)) {
      return framed;
    }
    int helloLength = ((b[off + 6] & 0xff) << 16) | u16(b, off + 7);
    try {
      return new Hello(read(b, off + 9, off + 9 + helloLength));
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      return new NotHello();
    }
  }

  private static TlsClientHello read(byte[] b, int at, int end) {
    int version = u16(b, at);
    at += 2 + 32; // version, random
    int sessionId = b[at] & 0xff;
    at += 1 + sessionId;
    int cipherBytes = u16(b, at);
    at += 2;
    check(at + cipherBytes <= end && cipherBytes % 2 == 0);
    List<Integer> ciphers = new ArrayList<>();
    for (int i = 0; i < cipherBytes; i += 2) {
      ciphers.add(u16(b, at + i));
    }
    at += cipherBytes;
    int compression = b[at] & 0xff;
    at += 1 + compression;
    List<Integer> extensions = new ArrayList<>();
    String sni = null;
    List<String> alpn = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    List<Integer> points = new ArrayList<>();
    List<Integer> sigs = new ArrayList<>();
    List<Integer> versions = new ArrayList<>();
    if (at + 2 <= end) {
      int extEnd = at + 2 + u16(b, at);
      check(extEnd <= end);
      at += 2;
      while (at + 4 <= extEnd) {
        int type = u16(b, at);
        int len = u16(b, at + 2);
        int data = at + 4;
        check(data + len <= extEnd);
        extensions.add(type);
        switch (type) {
          case EXT_SNI -> {
            // server_name_list: length, then entries of type (0 = host_name), length, name.
            if (len >= 5 && b[data + 2] == 0) {
              int n = u16(b, data + 3);
              check(data + 5 + n <= data + len);
              sni = new String(b, data + 5, n, StandardCharsets.US_ASCII);
            }
          }
          case EXT_ALPN -> {
            int p = data + 2;
            while (p < data + len) {
              int n = b[p] & 0xff;
              check(p + 1 + n <= data + len);
              alpn.add(new String(b, p + 1, n, StandardCharsets.ISO_8859_1));
              p += 1 + n;
            }
          }
          case EXT_GROUPS -> list16(b, data + 2, data + 2 + u16(b, data), groups);
          case EXT_POINT_FORMATS -> {
            int n = b[data] & 0xff;
            for (int i = 0; i < n; i++) {
              points.add(b[data + 1 + i] & 0xff);
            }
          }
          case EXT_SIGNATURE_ALGORITHMS -> list16(b, data + 2, data + 2 + u16(b, data), sigs);
          case EXT_SUPPORTED_VERSIONS -> list16(b, data + 1, data + 1 + (b[data] & 0xff), versions);
          default -> {
            // not part of the fingerprints' lists
          }
        }
        at = data + len;
      }
    }
    return new TlsClientHello(
        version,
        List.copyOf(ciphers),
        List.copyOf(extensions),
        sni,
        List.copyOf(alpn),
        List.copyOf(groups),
        List.copyOf(points),
        List.copyOf(sigs),
        List.copyOf(versions));
  }

  private static void list16(byte[] b, int from, int to, List<Integer> out) {
    for (int i = from; i + 1 < to; i += 2) {
      out.add(u16(b, i));
    }
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalArgumentException("inconsistent lengths");
    }
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  /**
   * JA3's input: version,ciphers,extensions,groups,point formats (decimal, '-'-joined, no GREASE).
   */
  public String ja3String() {
    return version
        + ","
        + join(ciphers)
        + ","
        + join(extensions)
        + ","
        + join(groups)
        + ","
        + join(pointFormats);
  }

  /** JA3: the MD5 of {@link #ja3String()}, in hex. */
  public String ja3() {
    return HexFormat.of().formatHex(digest("MD5", ja3String()));
  }

  /**
   * JA4 (FoxIO): {@code t13d1516h2_<ciphers hash>_<extensions and signature algorithms hash>} for
   * TCP.
   */
  public String ja4() {
    List<Integer> c = ciphers.stream().filter(v -> !isGrease(v)).toList();
    List<Integer> e = extensions.stream().filter(v -> !isGrease(v)).toList();
    int highest =
        supportedVersions.stream()
            .filter(v -> !isGrease(v))
            .mapToInt(Integer::intValue)
            .max()
            .orElse(version);
    String ver =
        switch (highest) {
          case 0x0304 -> "13";
          case 0x0303 -> "12";
          case 0x0302 -> "11";
          case 0x0301 -> "10";
          case 0x0300 -> "s3";
          default -> "00";
        };
    String a =
        "t"
            + ver
            + (sni != null ? "d" : "i")
            + String.format("%02d", Math.min(99, c.size()))
            + String.format("%02d", Math.min(99, e.size()))
            + alpnCode();
    String b =
        c.isEmpty()
            ? "000000000000"
            : sha12(
                c.stream()
                    .map(v -> String.format("%04x", v))
                    .sorted()
                    .collect(Collectors.joining(",")));
    List<String> ext =
        e.stream()
            .filter(v -> v != EXT_SNI && v != EXT_ALPN)
            .map(v -> String.format("%04x", v))
            .sorted()
            .toList();
    String sig =
        signatureAlgorithms.stream()
            .map(v -> String.format("%04x", v))
            .collect(Collectors.joining(","));
    String cInput = String.join(",", ext) + (sig.isEmpty() ? "" : "_" + sig);
    String cHash = ext.isEmpty() ? "000000000000" : sha12(cInput);
    return a + "_" + b + "_" + cHash;
  }

  private String alpnCode() {
    if (alpn.isEmpty() || alpn.get(0).isEmpty()) {
      return "00";
    }
    String v = alpn.get(0);
    char first = v.charAt(0);
    char last = v.charAt(v.length() - 1);
    if (Character.isLetterOrDigit(first)
        && first < 128
        && Character.isLetterOrDigit(last)
        && last < 128) {
      return "" + first + last;
    }
    String hex = HexFormat.of().formatHex(v.getBytes(StandardCharsets.ISO_8859_1));
    return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
  }

  private static String join(List<Integer> values) {
    return values.stream()
        .filter(v -> !isGrease(v))
        .map(String::valueOf)
        .collect(Collectors.joining("-"));
  }

  private static String sha12(String s) {
    return HexFormat.of().formatHex(digest("SHA-256", s)).substring(0, 12);
  }

  private static byte[] digest(String algorithm, String s) {
    try {
      return MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
    }
  }
}
