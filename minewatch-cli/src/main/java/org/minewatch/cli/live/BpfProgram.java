package org.minewatch.cli.live;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A capture filter as a classic BPF program for the kernel's ring ({@code PacketRing} attaches it
 * with SO_ATTACH_FILTER). tcpdump compiles the expression ({@code tcpdump -i IFACE -dd EXPR}):
 * libpcap's compiler, for the interface's link type, with no native binding here; this class reads
 * its {@code { code, jt, jf, k },} lines strictly. Each instruction is a {@code struct sock_filter}
 * (u16 code, u8 jt, u8 jf, u32 k).
 */
public final class BpfProgram {
  /** BPF_MAXINSNS: the kernel refuses a longer program. */
  static final int MAX_INSTRUCTIONS = 4096;

  /** tcpdump's {@code -dd} line, e.g. {@code { 0x28, 0, 0, 0x0000000c },}. */
  private static final Pattern INSTRUCTION =
      Pattern.compile(
          "\\{\\s*(0x[0-9a-fA-F]{1,4}|\\d{1,5})\\s*,\\s*(\\d{1,3})\\s*,\\s*(\\d{1,3})\\s*,"
              + "\\s*(0x[0-9a-fA-F]{1,8}|\\d{1,10})\\s*},?");

  private final String filter;
  private final short[] codes;
  private final byte[] jumpsIfTrue;
  private final byte[] jumpsIfFalse;
  private final int[] constants;

  private BpfProgram(String filter, int length) {
    this.filter = filter;
    this.codes = new short[length];
    this.jumpsIfTrue = new byte[length];
    this.jumpsIfFalse = new byte[length];
    this.constants = new int[length];
  }

  /**
   * Compiles {@code filter} with tcpdump for {@code iface}'s link type, packets cut at {@code
   * snapLength} bytes. tcpdump opens the interface to learn its link type, so it needs the same
   * rights as the capture.
   *
   * @throws IOException in one line naming the filter: tcpdump's own reason (a syntax error, no
   *     such interface, no permission), tcpdump missing, or output that is not a program
   */
  public static BpfProgram compile(String tcpdump, String iface, String filter, int snapLength)
      throws IOException {
    return compile(tcpdump, iface, filter, snapLength, COMPILE_SECONDS);
  }

  /** How long tcpdump may take to compile a filter. */
  static final int COMPILE_SECONDS = 30;

  static BpfProgram compile(
      String tcpdump, String iface, String filter, int snapLength, int deadlineSeconds)
      throws IOException {
    List<String> command =
        List.of(tcpdump, "-i", iface, "-s", Integer.toString(snapLength), "-dd", "--", filter);
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new IOException(
          named(filter)
              + "cannot run "
              + tcpdump
              + " to compile it (apt-get install tcpdump): "
              + e.getMessage(),
          e);
    }
    process.getOutputStream().close();
    // Both streams read on threads of their own (not a shared pool, where blocking reads could
    // queue): a long program fills the pipe before tcpdump exits, and a tcpdump that hangs must
    // meet the deadline, not block a read forever. One deadline for the run and both reads.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(deadlineSeconds);
    FutureTask<String> errors = new FutureTask<>(() -> text(process, false));
    FutureTask<String> output = new FutureTask<>(() -> text(process, true));
    for (FutureTask<String> read : List.of(errors, output)) {
      Thread t = new Thread(read, "tcpdump-dd-reader");
      t.setDaemon(true);
      t.start();
    }
    String program;
    String step = "run";
    try {
      if (!process.waitFor(left(deadline), TimeUnit.NANOSECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            named(filter) + tcpdump + " -dd did not finish in " + deadlineSeconds + " s");
      }
      step = "program";
      program = output.get(left(deadline), TimeUnit.NANOSECONDS);
      step = "messages";
      String reason = errors.get(left(deadline), TimeUnit.NANOSECONDS);
      if (process.exitValue() != 0) {
        throw new IOException(
            named(filter)
                + (reason.isEmpty()
                    ? tcpdump + " -dd exited with status " + process.exitValue()
                    : reason));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(named(filter) + "interrupted while tcpdump compiled it", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException(
          named(filter)
              + "cannot read tcpdump's "
              + (step.equals("program") ? "program" : "messages")
              + ": "
              + e,
          e);
    }
    return parse(filter, program);
  }

  /** Nanoseconds until {@code deadline}, at least 0. */
  private static long left(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /** stdout, or stderr as one line without tcpdump's "tcpdump: " prefixes. */
  private static String text(Process process, boolean stdout) {
    try (InputStream in = stdout ? process.getInputStream() : process.getErrorStream()) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (stdout) {
        return text;
      }
      return String.join(
          " ",
          text.lines()
              .map(String::strip)
              .filter(l -> !l.isEmpty())
              .map(l -> l.startsWith("tcpdump: ") ? l.substring(9) : l)
              .toList());
    } catch (IOException e) {
      return stdout ? "" : "cannot read tcpdump's messages: " + e.getMessage();
    }
  }

  /**
   * Reads tcpdump's {@code -dd} output: one instruction a line, nothing else.
   *
   * @throws IOException naming the filter and the first line that is not an instruction (or an
   *     empty or over-long program)
   */
  static BpfProgram parse(String filter, String text) throws IOException {
    List<String> lines = text.lines().toList();
    if (lines.isEmpty()) {
      throw new IOException(named(filter) + "tcpdump -dd printed no program");
    }
    if (lines.size() > MAX_INSTRUCTIONS) {
      throw new IOException(
          named(filter)
              + "the program has "
              + lines.size()
              + " instructions; the kernel takes at most "
              + MAX_INSTRUCTIONS);
    }
    BpfProgram program = new BpfProgram(filter, lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher m = INSTRUCTION.matcher(line.strip());
      long code = m.matches() ? number(m.group(1)) : -1;
      long jt = m.matches() ? Long.parseLong(m.group(2)) : -1;
      long jf = m.matches() ? Long.parseLong(m.group(3)) : -1;
      long k = m.matches() ? number(m.group(4)) : -1;
      if (code < 0 || code > 0xffff || jt > 0xff || jf > 0xff || k < 0 || k > 0xffff_ffffL) {
        throw new IOException(
            named(filter)
                + "line "
                + (i + 1)
                + " of tcpdump -dd's output is not an instruction { code, jt, jf, k }: \""
                + line
                + "\"");
      }
      program.codes[i] = (short) code;
      program.jumpsIfTrue[i] = (byte) jt;
      program.jumpsIfFalse[i] = (byte) jf;
      program.constants[i] = (int) k;
    }
    return program;
  }

  private static long number(String text) {
    return text.startsWith("0x") || text.startsWith("0X")
        ? Long.parseLong(text.substring(2), 16)
        : Long.parseLong(text);
  }

  private static String named(String filter) {
    return "--filter \"" + filter + "\": ";
  }

  /** The expression it was compiled from. */
  public String filter() {
    return filter;
  }

  /** Instructions. */
  public int length() {
    return codes.length;
  }

  /** Instruction {@code i}'s opcode (u16, as a short). */
  public short code(int i) {
    return codes[i];
  }

  /** Instruction {@code i}'s jump if true (u8, as a byte). */
  public byte jumpIfTrue(int i) {
    return jumpsIfTrue[i];
  }

  /** Instruction {@code i}'s jump if false (u8, as a byte). */
  public byte jumpIfFalse(int i) {
    return jumpsIfFalse[i];
  }

  /** Instruction {@code i}'s constant (u32, as an int). */
  public int constant(int i) {
    return constants[i];
  }
}
