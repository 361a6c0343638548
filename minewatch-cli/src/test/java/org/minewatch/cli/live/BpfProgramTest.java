package org.minewatch.cli.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * tcpdump's {@code -dd} output read into the instructions the kernel's ring attaches: the parser on
 * fixed text (any JDK), and tcpdump itself where it is installed and may open lo.
 */
class BpfProgramTest {
  /** {@code tcpdump -i lo -s 262144 -dd 'tcp port 5555'} (libpcap 1.10, Ethernet), first lines. */
  private static final String TCP_PORT =
      """
      { 0x28, 0, 0, 0x0000000c },
      { 0x15, 0, 6, 0x000086dd },
      { 0x30, 0, 0, 0x00000014 },
      { 0x15, 0, 15, 0x00000006 },
      { 0x6, 0, 0, 0x00040000 },
      { 0x6, 0, 0, 0x00000000 },
      """;

  @Test
  void readsEachInstructionsFourFields() throws IOException {
    BpfProgram program = BpfProgram.parse("tcp port 5555", TCP_PORT);
    assertThat(program.filter()).isEqualTo("tcp port 5555");
    assertThat(program.length()).isEqualTo(6);
    assertThat(program.code(0)).isEqualTo((short) 0x28);
    assertThat(program.jumpIfTrue(0)).isZero();
    assertThat(program.jumpIfFalse(0)).isZero();
    assertThat(program.constant(0)).isEqualTo(12);
    assertThat(program.code(1)).isEqualTo((short) 0x15);
    assertThat(program.jumpIfFalse(1)).isEqualTo((byte) 6);
    assertThat(program.constant(1)).isEqualTo(0x86dd);
    assertThat(program.jumpIfFalse(3)).isEqualTo((byte) 15);
    assertThat(program.constant(4)).isEqualTo(262_144);
    assertThat(program.code(5)).isEqualTo((short) 6);
    assertThat(program.constant(5)).isZero();
  }

  @Test
  void unsignedFieldsKeepTheirBitsAndDecimalIsRead() throws IOException {
    // jt and jf up to 255, k up to 2^32 - 1 (e.g. the ancillary loads' 0xfffff000 offsets).
    BpfProgram program =
        BpfProgram.parse("f", "{ 0xffff, 255, 254, 0xfffff02c },\n{ 6, 0, 0, 65535 }\n");
    assertThat(program.length()).isEqualTo(2);
    assertThat(Short.toUnsignedInt(program.code(0))).isEqualTo(0xffff);
    assertThat(Byte.toUnsignedInt(program.jumpIfTrue(0))).isEqualTo(255);
    assertThat(Byte.toUnsignedInt(program.jumpIfFalse(0))).isEqualTo(254);
    assertThat(Integer.toUnsignedLong(program.constant(0))).isEqualTo(0xfffff02cL);
    assertThat(program.constant(1)).isEqualTo(65535);
  }

  @Test
  void aLineThatIsNotAnInstructionIsNamed() {
    String text = TCP_PORT.replace("{ 0x30, 0, 0, 0x00000014 },", "(002) ldb [20]");
    assertThatThrownBy(() -> BpfProgram.parse("tcp port 5555", text))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "--filter \"tcp port 5555\": line 3 of tcpdump -dd's output is not an instruction "
                + "{ code, jt, jf, k }: \"(002) ldb [20]\"");
  }

  @Test
  void fieldsOutOfTheirRangeAreRefused() {
    assertThatThrownBy(() -> BpfProgram.parse("f", "{ 0x15, 256, 0, 0x1 },"))
        .hasMessage(
            "--filter \"f\": line 1 of tcpdump -dd's output is not an instruction "
                + "{ code, jt, jf, k }: \"{ 0x15, 256, 0, 0x1 },\"");
    assertThatThrownBy(() -> BpfProgram.parse("f", "{ 0x6, 0, 0, 4294967296 },"))
        .hasMessageContaining("line 1 of");
    assertThatThrownBy(() -> BpfProgram.parse("f", "{ 0x10000, 0, 0, 0x1 },"))
        .hasMessageContaining("line 1 of");
    assertThatThrownBy(() -> BpfProgram.parse("f", "{ 0x6, 0, 0, 0x0 }, trailing"))
        .hasMessageContaining("line 1 of");
    assertThatThrownBy(() -> BpfProgram.parse("f", "{ 0x6, 0, 0, 0x0 },\n\n{ 0x6, 0, 0, 0x0 },"))
        .hasMessage(
            "--filter \"f\": line 2 of tcpdump -dd's output is not an instruction "
                + "{ code, jt, jf, k }: \"\"");
  }

  @Test
  void anEmptyOrOverlongProgramIsRefused() {
    assertThatThrownBy(() -> BpfProgram.parse("f", ""))
        .hasMessage("--filter \"f\": tcpdump -dd printed no program");
    String tooLong = "{ 0x6, 0, 0, 0x0 },\n".repeat(4097);
    assertThatThrownBy(() -> BpfProgram.parse("f", tooLong))
        .hasMessage(
            "--filter \"f\": the program has 4097 instructions; the kernel takes at most 4096");
  }

  @Test
  void aMissingTcpdumpIsSaid() {
    assertThatThrownBy(() -> BpfProgram.compile("/nonexistent/tcpdump", "lo", "tcp", 262_144))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            "--filter \"tcp\": cannot run /nonexistent/tcpdump to compile it "
                + "(apt-get install tcpdump): ");
  }

  private static boolean tcpdumpMayOpenLo() throws Exception {
    if (Stream.of(System.getenv("PATH").split(":"))
        .noneMatch(d -> Files.isExecutable(Path.of(d, "tcpdump")))) {
      return false;
    }
    Process p = new ProcessBuilder("tcpdump", "-i", "lo", "-dd", "tcp").start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  @Test
  void tcpdumpCompilesAFilterAndItsReasonForRefusingOneIsOneLine() throws Exception {
    assumeTrue(tcpdumpMayOpenLo(), "tcpdump is not installed or may not open lo here; skipped");
    BpfProgram program = BpfProgram.compile("tcpdump", "lo", "tcp port 5555", 262_144);
    // Ethernet's ethertype first, the snap length as the accepting return, 0 as the rejecting one.
    assertThat(program.code(0)).isEqualTo((short) 0x28);
    assertThat(program.constant(0)).isEqualTo(12);
    int last = program.length() - 1;
    assertThat(program.constant(last - 1)).isEqualTo(262_144);
    assertThat(program.constant(last)).isZero();

    assertThatThrownBy(() -> BpfProgram.compile("tcpdump", "lo", "tcp port", 262_144))
        .hasMessage("--filter \"tcp port\": can't parse filter expression: syntax error");
    assertThatThrownBy(() -> BpfProgram.compile("tcpdump", "mw-no-such0", "tcp", 262_144))
        .hasMessageStartingWith("--filter \"tcp\": mw-no-such0: ")
        .hasMessageNotContaining("\n");
  }

  /**
   * A tcpdump that never answers (hung on an interface, say) is given up at the deadline, with a
   * message naming the filter; before, its output was read to the end first and the wait hung.
   */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aTcpdumpThatHangsIsGivenUpAtTheDeadline(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path hung = dir.resolve("tcpdump");
    Files.writeString(hung, "#!/bin/sh\nexec sleep 120\n");
    assumeTrue(hung.toFile().setExecutable(true), "cannot make a script executable here");
    assertThatThrownBy(() -> BpfProgram.compile(hung.toString(), "lo", "tcp port 3333", 256, 1))
        .isInstanceOf(IOException.class)
        .hasMessage("--filter \"tcp port 3333\": " + hung + " -dd did not finish in 1 s");
  }
}
