package org.minewatch.decode;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The ClientHello reader on arbitrary bytes (docs/fuzzing.md). Its contract: {@code parse} and
 * {@code serverName} answer for any bytes (a hello, incomplete, not a hello, or null) and never
 * throw; a hello's fingerprints can always be computed.
 */
class TlsClientHelloFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void clientHello(byte[] data) {
    TlsClientHello.Parse framed = TlsClientHello.frame(data, 0, data.length);
    TlsClientHello.Parse parsed = TlsClientHello.parse(data, 0, data.length);
    if (framed instanceof TlsClientHello.Incomplete
        != parsed instanceof TlsClientHello.Incomplete) {
      throw new AssertionError(
          "frame and parse disagree on completeness: " + framed + " / " + parsed);
    }
    TlsClientHello.serverName(data, 0, data.length);
    if (parsed instanceof TlsClientHello.Hello h) {
      h.hello().ja3();
      h.hello().ja4();
    }
  }
}
