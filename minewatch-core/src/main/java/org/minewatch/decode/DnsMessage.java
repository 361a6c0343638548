package org.minewatch.decode;

import java.util.ArrayList;
import java.util.List;
import org.minewatch.model.IpAddress;

/**
 * A DNS message (RFC 1035) read from bytes: the question names and the A, AAAA and CNAME answers.
 * Names follow compression pointers, bounded in hops and length; anything inconsistent makes the
 * whole message unreadable rather than half-read.
 */
public record DnsMessage(
    int id, boolean response, int rcode, List<String> questions, List<Answer> answers) {

  /** An answer record: the owner name and either an address or a CNAME target. */
  public record Answer(String name, IpAddress address, String cname) {}

  private static final int MAX_POINTER_HOPS = 16;
  private static final int MAX_RECORDS = 64;

  /** Thrown for bytes that are not a DNS message. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Checks the header and reads only the first question's name: enough to decide whether the rest
   * is worth reading, at a fraction of the cost.
   */
  public static String firstQuestion(byte[] b, int off, int len) throws Malformed {
    int end = off + len;
    if (len < 12) {
      throw new Malformed("shorter than a DNS header");
    }
    int flags = u16(b, off + 2);
    int opcode = (flags >>> 11) & 0xf;
    int qd = u16(b, off + 4);
    if (opcode > 6
        || opcode == 3
        || qd == 0
        || qd > 4
        || u16(b, off + 6) > MAX_RECORDS
        || u16(b, off + 8) > MAX_RECORDS
        || u16(b, off + 10) > MAX_RECORDS) {
      throw new Malformed("not a DNS header");
    }
    int[] at = {off + 12};
    String name = name(b, off, end, at);
    need(at[0] + 4, end);
    return name;
  }

  /** Parses {@code len} bytes at {@code off}. */
  public static DnsMessage parse(byte[] b, int off, int len) throws Malformed {
    int end = off + len;
    if (len < 12) {
      throw new Malformed("shorter than a DNS header");
    }
    int id = u16(b, off);
    int flags = u16(b, off + 2);
    int opcode = (flags >>> 11) & 0xf;
    if (opcode > 6 || opcode == 3) {
      throw new Malformed("unknown opcode " + opcode);
    }
    int qd = u16(b, off + 4);
    int an = u16(b, off + 6);
    int ns = u16(b, off + 8);
    int ar = u16(b, off + 10);
    if (qd == 0 || qd > 4 || an > MAX_RECORDS || ns > MAX_RECORDS || ar > MAX_RECORDS) {
      throw new Malformed("implausible record counts");
    }
    int[] at = {off + 12};
    List<String> questions = new ArrayList<>(qd);
    for (int i = 0; i < qd; i++) {
      questions.add(name(b, off, end, at));
      need(at[0] + 4, end);
      at[0] += 4;
    }
    List<Answer> answers = new ArrayList<>();
    for (int i = 0; i < an; i++) {
      String owner = name(b, off, end, at);
      need(at[0] + 10, end);
      int type = u16(b, at[0]);
      int rdlength = u16(b, at[0] + 8);
      int rdata = at[0] + 10;
      need(rdata + rdlength, end);
      if (type == 1 && rdlength == 4) {
        answers.add(
            new Answer(
                owner,
                IpAddress.ofV4(
                    ((b[rdata] & 0xff) << 24)
                        | ((b[rdata + 1] & 0xff) << 16)
                        | ((b[rdata + 2] & 0xff) << 8)
                        | (b[rdata + 3] & 0xff)),
                null));
      } else if (type == 28 && rdlength == 16) {
        answers.add(
            new Answer(
                owner,
                IpAddress.fromBytes(java.util.Arrays.copyOfRange(b, rdata, rdata + 16)),
                null));
      } else if (type == 5) {
        int[] c = {rdata};
        answers.add(new Answer(owner, null, name(b, off, end, c)));
      }
      at[0] = rdata + rdlength;
    }
    return new DnsMessage(
        id, (flags & 0x8000) != 0, flags & 0xf, List.copyOf(questions), List.copyOf(answers));
  }

  private static String name(byte[] b, int msg, int end, int[] at) throws Malformed {
    StringBuilder sb = new StringBuilder();
    int p = at[0];
    boolean jumped = false;
    for (int hops = 0; ; ) {
      need(p + 1, end);
      int l = b[p] & 0xff;
      if (l == 0) {
        if (!jumped) {
          at[0] = p + 1;
        }
        break;
      }
      if ((l & 0xc0) == 0xc0) {
        need(p + 2, end);
        int target = msg + (((l & 0x3f) << 8) | (b[p + 1] & 0xff));
        if (++hops > MAX_POINTER_HOPS || target >= p) {
          throw new Malformed("compression pointer loop or forward pointer");
        }
        if (!jumped) {
          at[0] = p + 2;
          jumped = true;
        }
        p = target;
        continue;
      }
      if ((l & 0xc0) != 0) {
        throw new Malformed("unknown label type");
      }
      need(p + 1 + l, end);
      if (sb.length() > 0) {
        sb.append('.');
      }
      for (int i = 0; i < l; i++) {
        int c = b[p + 1 + i] & 0xff;
        sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : (char) c);
      }
      if (sb.length() > 255) {
        throw new Malformed("name longer than 255 bytes");
      }
      p += 1 + l;
    }
    return sb.toString();
  }

  private static void need(int index, int end) throws Malformed {
    if (index > end) {
      throw new Malformed("cut short");
    }
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }
}
