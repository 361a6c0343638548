package org.minewatch.capture;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file copied out of memory-mapped windows: one bulk copy per read, faster than read(2) through
 * NIO's Java layers (docs/benchmarks.md, "Reading"). A window is unmapped as soon as reading moves
 * past it, so resident memory does not grow with the file.
 */
final class MappedFile implements Closeable {
  static final long WINDOW = 64L << 20;
  private final FileChannel channel;
  private final long size;
  private MappedByteBuffer map;
  private long mapStart;
  private long mapEnd;

  MappedFile(Path file) throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.size = channel.size();
  }

  /** Copies up to {@code len} bytes from file offset {@code pos}; -1 at the end of the file. */
  int read(long pos, byte[] b, int off, int len) throws IOException {
    if (pos >= size) {
      return -1;
    }
    if (map == null || pos < mapStart || pos >= mapEnd) {
      Unmapper.unmap(map);
      map = null;
      mapStart = pos;
      mapEnd = Math.min(size, pos + WINDOW);
      map = channel.map(FileChannel.MapMode.READ_ONLY, mapStart, mapEnd - mapStart);
    }
    int n = (int) Math.min(len, mapEnd - pos);
    map.get((int) (pos - mapStart), b, off, n);
    return n;
  }

  @Override
  public void close() throws IOException {
    MappedByteBuffer m = map;
    map = null;
    Unmapper.unmap(m);
    channel.close();
  }

  /** The whole file as a forward stream, read the same way. */
  static InputStream stream(Path file) throws IOException {
    MappedFile f = new MappedFile(file);
    return new InputStream() {
      private long position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        int n = f.read(position, b, off, len);
        if (n > 0) {
          position += n;
        }
        return n;
      }

      @Override
      public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, f.size - position));
        position += skipped;
        return skipped;
      }

      @Override
      public void close() throws IOException {
        f.close();
      }
    };
  }
}
