package org.minewatch.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A stream read ahead by a thread of its own, for sources whose reading costs CPU (gzip's
 * inflating: four to five times the analysis of what it inflates, docs/benchmarks.md), so that a
 * second core reads while the first analyses. The bytes, the end and a failure reach the reader in
 * the order the source gave them: the bytes read before a failure first, then the same exception,
 * as the source itself would have thrown it (a gzip stream cut short still yields what was inflated
 * before the cut). Memory: {@link #BLOCKS} blocks of {@link #BLOCK} bytes.
 *
 * <p>Not for one core, where the thread would only compete with its reader: {@link #of} then gives
 * the source itself.
 */
public final class ReadAheadInputStream extends InputStream {
  static final int BLOCK = 1 << 20;
  static final int BLOCKS = 8;

  /** How long {@link #close} waits for the reading thread to stop before it closes the source. */
  private static final long STOP_MILLIS = 2_000;

  /** Bytes, or the end ({@code bytes == null}), or a failure. */
  private record Block(byte[] bytes, int length, Throwable failure) {
    static final Block END = new Block(null, -1, null);
  }

  private final InputStream source;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BLOCKS);
  private final BlockingQueue<Block> ready = new ArrayBlockingQueue<>(BLOCKS + 2);
  private final Thread reader;
  private volatile boolean closed;

  // Who closes the source: close() where the reading thread has stopped, else that thread as it
  // stops, so that a source is never closed under a read in progress (an inflater ended under its
  // inflating). Both under this lock.
  private final Object stopping = new Object();
  private boolean readerStopped;
  private boolean sourceClosed;
  private IOException sourceCloseFailure;
  private Block current;
  private int position;
  private final byte[] one = new byte[1];

  /** Whether reading ahead can help: more than one processor is available. */
  public static boolean helps() {
    return Runtime.getRuntime().availableProcessors() > 1;
  }

  /** {@code source} read ahead where that {@linkplain #helps() helps}, else itself. */
  public static InputStream of(InputStream source) {
    return helps() ? new ReadAheadInputStream(source) : source;
  }

  ReadAheadInputStream(InputStream source) {
    this.source = Objects.requireNonNull(source);
    for (int i = 0; i < BLOCKS; i++) {
      free.add(new byte[BLOCK]);
    }
    reader = new Thread(this::readAhead, "read-ahead");
    reader.setDaemon(true);
    reader.start();
  }

  /** The reading thread: fills free blocks from the source until its end, a failure or close. */
  private void readAhead() {
    try {
      while (!closed) {
        byte[] b = free.take();
        int n = 0;
        Throwable failure = null;
        boolean end = false;
        try {
          while (n < b.length) {
            int r = source.read(b, n, b.length - n);
            if (r < 0) {
              end = true;
              break;
            }
            n += r;
          }
        } catch (Throwable t) { // handed to the reader, who sees it where the source threw it
          failure = t;
        }
        if (n > 0) {
          ready.put(new Block(b, n, null));
        } else {
          free.put(b);
        }
        if (failure != null) {
          ready.put(new Block(null, -1, failure));
          return;
        }
        if (end) {
          ready.put(Block.END);
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed: nobody reads any more
    } catch (
        Throwable t) { // (an OutOfMemoryError making a block): the reader must not wait forever
      ready.offer(new Block(null, -1, t)); // room: ready holds every block and one end besides
    } finally {
      synchronized (stopping) {
        readerStopped = true;
        if (closed) {
          closeSource();
        }
      }
    }
  }

  /** Closes the source once; under {@link #stopping}. A failure to close is the closer's. */
  private void closeSource() {
    if (sourceClosed) {
      return;
    }
    sourceClosed = true;
    try {
      source.close();
    } catch (IOException e) {
      sourceCloseFailure = e;
    }
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    if (current == null || (current.bytes != null && position == current.length)) {
      if (current != null) {
        free.add(current.bytes); // never full: every block is in one place at a time
      }
      current = take();
      position = 0;
    }
    if (current.bytes == null) {
      if (current.failure != null) {
        throw rethrown(current.failure);
      }
      return -1;
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current.bytes, position, b, off, n);
    position += n;
    return n;
  }

  private Block take() throws IOException {
    try {
      return ready.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for input");
    }
  }

  /** The source's own exception, so that callers catch it by its type as before. */
  private static IOException rethrown(Throwable t) {
    if (t instanceof IOException io) {
      return io;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IOException(t);
  }

  @Override
  public int available() {
    return current == null || current.bytes == null ? 0 : current.length - position;
  }

  /** Whether the reading thread still runs (for tests: close must stop it). */
  boolean readingThreadAlive() {
    return reader.isAlive();
  }

  @Override
  public void close() throws IOException {
    synchronized (stopping) {
      if (closed) {
        return;
      }
      closed = true;
      if (readerStopped) {
        closeSource();
      }
    }
    reader.interrupt();
    try {
      // A reader blocked in a source that interrupting cannot wake (standard input) is not waited
      // for longer: it closes the source itself when it stops.
      reader.join(STOP_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (stopping) {
      if (sourceCloseFailure != null) {
        throw sourceCloseFailure;
      }
    }
  }
}
