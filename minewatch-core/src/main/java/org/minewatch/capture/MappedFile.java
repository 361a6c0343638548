package org.minewatch.capture;

import java.io.Closeable;
import java.io.IOException;
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
}
