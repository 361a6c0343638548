package org.minewatch.capture;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random access to the bytes of a capture, read forward. A reader asks for a window
 * {@code [offset, offset + length)} and gets the index of {@code offset} in {@link #buffer()};
 * the buffer stays valid until the next call. Two kinds: memory-mapped files (no copy) and
 * streams such as gzip (a reused heap buffer).
 */
public abstract class CaptureInput implements Closeable {

  /**
   * Size of one mapped window. Windows are unmapped as soon as the reader moves past them, so the
   * mapped pages a scan holds (which count in its resident memory) stay near this size.
   */
  static final long MAP_WINDOW = 64L << 20;

  /** The buffer holding the last window, in big-endian order; readers swap where needed. */
  public abstract ByteBuffer buffer();

  /**
   * Makes {@code length} bytes from {@code offset} available.
   *
   * @return the index of {@code offset} in {@link #buffer()}, or -1 if the input ends first
   */
  public abstract int window(long offset, int length) throws IOException;

  /** Bytes available from {@code offset} up to at most {@code max}, for truncation reports. */
  public abstract long remaining(long offset, long max) throws IOException;

  public static CaptureInput mapped(Path file) throws IOException {
    return new Mapped(file);
  }

  public static CaptureInput stream(InputStream in) {
    return new Streamed(in);
  }

  /** A file mapped in windows of at most {@link #MAP_WINDOW} bytes. */
  static final class Mapped extends CaptureInput {
    private final FileChannel channel;
    private final long size;
    private ByteBuffer map;
    private long mapStart;
    private long mapEnd;

    Mapped(Path file) throws IOException {
      this.channel = FileChannel.open(file, StandardOpenOption.READ);
      this.size = channel.size();
      this.map = ByteBuffer.allocate(0);
    }

    @Override
    public ByteBuffer buffer() {
      return map;
    }

    @Override
    public int window(long offset, int length) throws IOException {
      long end = offset + length;
      if (end > size || length < 0) {
        return -1;
      }
      if (offset < mapStart || end > mapEnd) {
        long len = Math.min(size - offset, Math.max(MAP_WINDOW, length));
        Unmapper.unmap(map);
        map = channel.map(FileChannel.MapMode.READ_ONLY, offset, len).order(ByteOrder.BIG_ENDIAN);
        mapStart = offset;
        mapEnd = offset + len;
      }
      return (int) (offset - mapStart);
    }

    @Override
    public long remaining(long offset, long max) {
      return Math.max(0, Math.min(max, size - offset));
    }

    @Override
    public void close() throws IOException {
      Unmapper.unmap(map);
      map = ByteBuffer.allocate(0);
      channel.close();
    }
  }

  /** A stream read into a heap buffer that grows to the largest record and is compacted. */
  static final class Streamed extends CaptureInput {
    private static final int INITIAL = 4 << 20;
    private final InputStream in;
    private byte[] bytes = new byte[INITIAL];
    private ByteBuffer view = ByteBuffer.wrap(bytes);
    /** File offset of bytes[0]. */
    private long base;
    /** Number of valid bytes in {@code bytes}. */
    private int filled;
    private boolean eof;

    Streamed(InputStream in) {
      this.in = in;
    }

    @Override
    public ByteBuffer buffer() {
      return view;
    }

    @Override
    public int window(long offset, int length) throws IOException {
      if (length < 0) {
        return -1;
      }
      if (offset < base) {
        throw new IllegalStateException("stream input read backwards: " + offset + " < " + base);
      }
      if (!fill(offset, length)) {
        return -1;
      }
      return (int) (offset - base);
    }

    private boolean fill(long offset, int length) throws IOException {
      long need = offset + length;
      if (need <= base + filled) {
        return true;
      }
      // Drop everything before offset, then grow if the record is larger than the buffer.
      int drop = (int) Math.min(filled, offset - base);
      if (drop > 0) {
        System.arraycopy(bytes, drop, bytes, 0, filled - drop);
        filled -= drop;
        base += drop;
      }
      // Skip forward when the caller jumps past what was read.
      while (base < offset && !eof) {
        long skipped = in.skip(offset - base);
        if (skipped <= 0) {
          if (in.read() < 0) {
            eof = true;
            break;
          }
          skipped = 1;
        }
        base += skipped;
      }
      int want = (int) (need - base);
      if (want > bytes.length) {
        byte[] bigger = new byte[Math.max(want, bytes.length * 2)];
        System.arraycopy(bytes, 0, bigger, 0, filled);
        bytes = bigger;
        view = ByteBuffer.wrap(bytes);
      }
      while (filled < want && !eof) {
        int n;
        try {
          n = in.read(bytes, filled, bytes.length - filled);
        } catch (java.io.EOFException e) {
          // A gzip stream cut short: what was inflated stays readable, the rest is "missing".
          n = -1;
        }
        if (n < 0) {
          eof = true;
        } else {
          filled += n;
        }
      }
      return filled >= want && base <= offset;
    }

    @Override
    public long remaining(long offset, long max) throws IOException {
      int probe = (int) Math.min(max, Integer.MAX_VALUE - 16);
      fill(offset, probe);
      return Math.max(0, Math.min(max, base + filled - offset));
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
