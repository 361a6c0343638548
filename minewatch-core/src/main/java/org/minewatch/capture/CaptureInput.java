package org.minewatch.capture;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The bytes of a capture, read forward through one reused array. A reader asks for a window {@code
 * [offset, offset + length)} and gets the index of {@code offset} in {@link #array()}; the array
 * and index stay valid until the next call.
 *
 * <p>Files are mapped in windows and copied out chunk by chunk; the pipeline parses a plain array,
 * which is several times faster than ByteBuffer accessors under C1, the JIT that short scans on one
 * core run on (measured in docs/benchmarks.md).
 */
public abstract class CaptureInput implements Closeable {
  /** Read size: small enough that what was just copied is still in the cache when it is parsed. */
  public static final int CHUNK = 256 << 10;

  byte[] bytes = new byte[0];

  /** Where fresh arrays come from; null: one array, reused. */
  private CaptureListener supply;

  /** Whether {@code bytes} came from {@link #supply} (else it is this input's own array). */
  private boolean bytesSupplied;

  /** Input offset of bytes[0]. */
  long base;

  /** Valid bytes in {@code bytes}. */
  int filled;

  boolean eof;

  public final byte[] array() {
    return bytes;
  }

  /**
   * Index just past the last valid byte of {@link #array()}, for callers that check before asking.
   */
  public final int validEnd() {
    return filled;
  }

  /**
   * Makes {@code length} bytes from {@code offset} available; offsets never go backwards.
   *
   * @return the index of {@code offset} in {@link #array()}, or -1 if the input ends first
   */
  public final int window(long offset, int length) throws IOException {
    if (length < 0 || offset < base) {
      return -1;
    }
    long end = offset + length;
    if (end <= base + filled) {
      return (int) (offset - base);
    }
    fill(offset, length);
    return end <= base + filled ? (int) (offset - base) : -1;
  }

  /** Bytes available from {@code offset}, up to {@code max}, for truncation reports. */
  public final long remaining(long offset, long max) throws IOException {
    if (offset < base) {
      return 0;
    }
    fill(offset, (int) Math.min(max, Integer.MAX_VALUE - 64));
    return Math.max(0, Math.min(max, base + filled - offset));
  }

  /**
   * Moves the window to start at {@code offset} and reads until {@code length} bytes or the end.
   * With an array supply the window moves into a fresh array, leaving the old one as it was, unless
   * it still fits in the supplied array it is in.
   */
  private void fill(long offset, int length) throws IOException {
    long skip = offset - base;
    if (bytesSupplied && skip <= filled && skip + length <= bytes.length) {
      // The window fits where it is: read on into the array's unused tail, which no packet handed
      // out points into, rather than take a fresh array for every short read of a pipe.
      readUntil((int) skip + length);
      return;
    }
    int keep = 0;
    if (skip < filled) {
      keep = filled - (int) skip;
    } else {
      skipForward(offset - (base + filled));
    }
    int need = Math.max(length, CHUNK);
    byte[] target = bytes;
    byte[] fresh = supply == null ? null : supply.freshArray(need);
    bytesSupplied = fresh != null;
    if (fresh != null) {
      target = fresh;
    } else if (need > bytes.length) {
      target = new byte[Math.max(need, bytes.length * 2)];
    }
    System.arraycopy(bytes, (int) Math.min(skip, filled), target, 0, keep);
    bytes = target;
    filled = keep;
    base = offset;
    readUntil(length);
  }

  /** Reads into {@code bytes} past {@code filled} until {@code end} bytes are there or the end. */
  private void readUntil(int end) throws IOException {
    while (filled < end && !eof) {
      int n = readInto(bytes, filled, bytes.length - filled);
      if (n < 0) {
        eof = true;
      } else {
        filled += n;
      }
    }
  }

  /**
   * Reads into arrays that {@code listener} supplies, where it does ({@link
   * CaptureListener#freshArray}), instead of reusing one array.
   */
  final void arraysFrom(CaptureListener listener) {
    this.supply = listener;
  }

  /** Reads up to {@code len} bytes at the input position {@code base + filled}; -1 at the end. */
  abstract int readInto(byte[] b, int off, int len) throws IOException;

  /** Discards {@code n} bytes that were never read into the array. */
  abstract void skipForward(long n) throws IOException;

  public static CaptureInput file(Path file) throws IOException {
    return new FileInput(file);
  }

  public static CaptureInput stream(InputStream in) {
    return new StreamInput(in);
  }

  /** A file, copied into the array from memory-mapped windows ({@link MappedFile}). */
  static final class FileInput extends CaptureInput {
    private final MappedFile file;

    FileInput(Path file) throws IOException {
      this.file = new MappedFile(file);
    }

    @Override
    int readInto(byte[] b, int off, int len) throws IOException {
      return file.read(base + filled, b, off, len);
    }

    @Override
    void skipForward(long n) {
      // reads are positional: nothing to skip
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }

  /** A stream such as gzip; a stream cut short ends like a file that ends. */
  static final class StreamInput extends CaptureInput {
    private final InputStream in;

    StreamInput(InputStream in) {
      this.in = in;
    }

    @Override
    int readInto(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (EOFException e) {
        return -1; // a gzip stream cut short: what was inflated stays readable
      }
    }

    @Override
    void skipForward(long n) throws IOException {
      while (n > 0) {
        long s = in.skip(n);
        if (s <= 0) {
          if (in.read() < 0) {
            eof = true;
            return;
          }
          s = 1;
        }
        n -= s;
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
