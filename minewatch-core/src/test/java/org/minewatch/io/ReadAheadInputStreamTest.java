package org.minewatch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {
  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Reads everything in reads of drawn sizes, single bytes among them. */
  private static byte[] drain(InputStream in, long seed) throws IOException {
    Random r = new Random(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[3 * ReadAheadInputStream.BLOCK];
    while (true) {
      if (r.nextInt(10) == 0) {
        int c = in.read();
        if (c < 0) {
          return out.toByteArray();
        }
        out.write(c);
        continue;
      }
      int n = in.read(buf, 7, 1 + r.nextInt(buf.length - 7));
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(buf, 7, n);
    }
  }

  /** Gives its bytes in reads of at most 1,000 bytes, then fails with {@code failure}. */
  private static InputStream failingAfter(byte[] data, IOException failure) {
    return new InputStream() {
      private int at;

      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (at == data.length) {
          throw failure;
        }
        int n = Math.min(Math.min(len, 1000), data.length - at);
        System.arraycopy(data, at, b, off, n);
        at += n;
        return n;
      }
    };
  }

  @Test
  void givesTheSourcesBytesInOrderAcrossManyBlocks() throws IOException {
    byte[] data = random(ReadAheadInputStream.BLOCK * ReadAheadInputStream.BLOCKS * 3 + 12345, 1);
    try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data))) {
      assertThat(drain(in, 2)).isEqualTo(data);
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.read(new byte[10], 0, 10)).isEqualTo(-1);
    }
  }

  @Test
  void anEmptySourceEndsAtOnce() throws IOException {
    try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(new byte[0]))) {
      assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
    }
  }

  @Test
  void theBytesBeforeAFailureComeFirstThenTheSameException() throws IOException {
    byte[] data = random(ReadAheadInputStream.BLOCK + 4321, 3);
    EOFException cut = new EOFException("Unexpected end of ZLIB input stream");
    try (InputStream in = new ReadAheadInputStream(failingAfter(data, cut))) {
      byte[] got = new byte[data.length];
      int n = in.readNBytes(got, 0, data.length);
      assertThat(n).isEqualTo(data.length);
      assertThat(got).isEqualTo(data);
      assertThatThrownBy(() -> in.read(new byte[1], 0, 1)).isSameAs(cut);
      assertThatThrownBy(in::read).isSameAs(cut); // and again: the source stays failed
    }
  }

  @Test
  void aCutGzipStreamYieldsWhatWasInflatedThenItsOwnException() throws IOException {
    byte[] data = random(900_000, 4);
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
      z.write(data);
    }
    byte[] cut = java.util.Arrays.copyOf(zipped.toByteArray(), zipped.size() / 2);
    int direct = inflatedBeforeFailure(new GZIPInputStream(new ByteArrayInputStream(cut)));
    int ahead =
        inflatedBeforeFailure(
            new ReadAheadInputStream(new GZIPInputStream(new ByteArrayInputStream(cut))));
    assertThat(ahead).isEqualTo(direct).isGreaterThan(0);
  }

  /** Bytes read before the stream threw its EOFException. */
  private static int inflatedBeforeFailure(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    int total = 0;
    try (in) {
      while (true) {
        int n = in.read(buf, 0, buf.length);
        assertThat(n).isNotNegative(); // a cut stream never ends cleanly
        total += n;
      }
    } catch (EOFException e) {
      return total;
    }
  }

  @Test
  void closeBeforeTheEndStopsTheReadingThreadAndClosesTheSource() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 1;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 1);
            return len;
          }

          @Override
          public void close() {
            closed.countDown();
          }
        };
    ReadAheadInputStream in = new ReadAheadInputStream(endless);
    assertThat(in.read(new byte[100], 0, 100)).isEqualTo(100);
    in.close();
    assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(in.readingThreadAlive()).isFalse();
    assertThatThrownBy(() -> in.read(new byte[1], 0, 1))
        .isInstanceOf(IOException.class)
        .hasMessage("stream closed");
  }
}
