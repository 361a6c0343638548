package org.minewatch.cli.push;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Findings on their way to a server, kept on disk so that neither side's restart loses or
 * duplicates any.
 *
 * <p>Layout of the directory:
 *
 * <ul>
 *   <li>{@code pending/NNNNNNNNNNNNNNNNNNNN.jsonl}: batches not yet acknowledged, in the order they
 *       are to be sent (by name). Each is written to a temporary file, forced to disk, and renamed
 *       into place (the directory forced too): a batch is either wholly there or not at all. At
 *       most {@link #MAX_LINES} lines and {@link #MAX_BYTES} bytes each (a single longer line makes
 *       a batch of its own). A batch the server found too large is split in two, the halves named
 *       {@code N-0} and {@code N-1} so they keep its place.
 *   <li>{@code rejected/NAME.jsonl} and {@code rejected/NAME.reason}: a batch the server refused
 *       (400) and the server's answer; never sent again, never deleted by MineWatch.
 *   <li>{@code server}: the URL the pending batches are for.
 *   <li>{@code lock}: locked ({@link FileChannel#tryLock()}) while a process uses the spool; it
 *       holds that process's id.
 * </ul>
 *
 * A batch is deleted only after the server's 200. A crash between that answer and the deletion
 * sends the batch again on the next start, which the server's idempotent ingest makes harmless.
 */
public final class Spool implements AutoCloseable {
  public static final int MAX_LINES = 500;
  public static final int MAX_BYTES = 1 << 20;
  private static final Pattern NAME = Pattern.compile("(\\d{20})(?:-([01]+))?\\.jsonl");

  /** The spool is locked by another process (or another user in this one). */
  public static final class LockedException extends IOException {
    LockedException(String message) {
      super(message);
    }
  }

  /** One batch file: its lines, each with its newline, are the request's body. */
  public record Batch(Path file, String name) {
    /** The request's body: the file's bytes. */
    public byte[] body() throws IOException {
      return Files.readAllBytes(file);
    }
  }

  /** Lines in a body: its newlines. */
  public static int lines(byte[] body) {
    int lines = 0;
    for (byte b : body) {
      if (b == '\n') {
        lines++;
      }
    }
    return lines;
  }

  private final Path dir;
  private final Path pending;
  private final Path rejected;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private long next;

  private Spool(Path dir, FileChannel lockChannel, FileLock lock) throws IOException {
    this.dir = dir;
    this.pending = Files.createDirectories(dir.resolve("pending"));
    this.rejected = Files.createDirectories(dir.resolve("rejected"));
    this.lockChannel = lockChannel;
    this.lock = lock;
    long max = 0;
    for (Path d : List.of(pending, rejected)) {
      try (Stream<Path> s = Files.list(d)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          String n = p.getFileName().toString();
          if (n.endsWith(".tmp")) {
            Files.deleteIfExists(
                p); // a batch that was being written when a process died: never sent
            continue;
          }
          Matcher m = NAME.matcher(n.replaceFirst("\\.reason$", ".jsonl"));
          if (m.matches()) {
            max = Math.max(max, Long.parseLong(m.group(1)));
          }
        }
      }
    }
    this.next = max + 1;
  }

  /**
   * Opens (creating it if need be) and locks the spool in {@code dir}.
   *
   * @throws LockedException if another process (or another user in this one) holds it
   */
  public static Spool open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path lockFile = dir.resolve("lock");
    FileChannel channel =
        FileChannel.open(
            lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = "";
      try {
        String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
        if (!pid.isEmpty()) {
          holder = " (process " + pid + ")";
        }
      } catch (IOException e) {
        // only for the message
      }
      channel.close();
      throw new LockedException(
          "spool "
              + dir
              + " is in use by another minewatch process"
              + holder
              + "; wait for it to end or give this one another --spool DIR");
    }
    try {
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      return new Spool(dir, channel, lock);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public Path directory() {
    return dir;
  }

  public Path rejectedDirectory() {
    return rejected;
  }

  /** The server the pending batches were written for; null if none is recorded. */
  public synchronized String server() throws IOException {
    Path f = dir.resolve("server");
    return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8).strip() : null;
  }

  /** Records the server the pending batches are for. */
  public synchronized void server(String url) throws IOException {
    if (!url.equals(server())) {
      writeDurably(dir.resolve("server"), (url + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Appends lines (JSON objects, without their newlines) as new batches, each on disk before this
   * returns. Returns how many batches were written.
   */
  public synchronized int append(List<String> lines) throws IOException {
    int batches = 0;
    List<byte[]> batch = new ArrayList<>();
    int bytes = 0;
    for (String line : lines) {
      byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
      if (!batch.isEmpty() && (batch.size() == MAX_LINES || bytes + b.length > MAX_BYTES)) {
        write(String.format("%020d", next++), batch, bytes);
        batches++;
        batch.clear();
        bytes = 0;
      }
      batch.add(b);
      bytes += b.length;
    }
    if (!batch.isEmpty()) {
      write(String.format("%020d", next++), batch, bytes);
      batches++;
    }
    return batches;
  }

  /** The batches waiting, in the order they are to be sent. */
  public synchronized List<Batch> pending() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(pending)) {
      files = s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
    }
    List<Batch> batches = new ArrayList<>();
    for (Path f : files) {
      String n = f.getFileName().toString();
      batches.add(new Batch(f, n.substring(0, n.length() - ".jsonl".length())));
    }
    return batches;
  }

  /** How many batches wait, and how many lines they hold. */
  public synchronized Backlog backlog() throws IOException {
    long lines = 0;
    List<Batch> p = pending();
    for (Batch b : p) {
      lines += lines(b.body());
    }
    return new Backlog(p.size(), lines);
  }

  /** Batches and lines waiting in a spool. */
  public record Backlog(int batches, long lines) {}

  /** The server took the batch (200): it is not sent again. */
  public synchronized void acknowledge(Batch batch) throws IOException {
    Files.deleteIfExists(batch.file());
    force(pending);
  }

  /**
   * The server refused the batch (400): kept in {@code rejected/} with the reason, never sent
   * again.
   */
  public synchronized Path reject(Batch batch, String reason) throws IOException {
    writeDurably(
        rejected.resolve(batch.name() + ".reason"),
        (reason + "\n").getBytes(StandardCharsets.UTF_8));
    Path target = rejected.resolve(batch.name() + ".jsonl");
    move(batch.file(), target);
    force(rejected);
    force(pending);
    return target;
  }

  /** The server found the batch too large (413): it becomes two halves in its place. */
  public synchronized void split(Batch batch) throws IOException {
    byte[] body = batch.body();
    if (lines(body) < 2) {
      throw new IllegalArgumentException("a batch of one line cannot be split");
    }
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < body.length; i++) {
      if (body[i] == '\n') {
        byte[] line = new byte[i + 1 - start];
        System.arraycopy(body, start, line, 0, line.length);
        lines.add(line);
        start = i + 1;
      }
    }
    int half = lines.size() / 2;
    String stem = batch.name().contains("-") ? batch.name() : batch.name() + "-";
    List<byte[]> first = lines.subList(0, half);
    List<byte[]> second = lines.subList(half, lines.size());
    write(stem + "0", first, first.stream().mapToInt(b -> b.length).sum());
    write(stem + "1", second, second.stream().mapToInt(b -> b.length).sum());
    // A crash before this deletion sends both the batch and its halves: the same findings twice,
    // which the server's ingest ignores.
    acknowledge(batch);
  }

  private void write(String name, List<byte[]> lines, int bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(bytes);
    for (byte[] l : lines) {
      buf.put(l);
    }
    writeDurably(pending.resolve(name + ".jsonl"), buf.array());
  }

  /** Temporary file, forced, renamed into place, directory forced: all or nothing, and on disk. */
  private static void writeDurably(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel c =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        c.write(b);
      }
      c.force(true);
    }
    move(tmp, target);
    force(target.getParent());
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Forces a directory's entries to disk (where the platform allows opening a directory). */
  private static void force(Path directory) {
    try (FileChannel c = FileChannel.open(directory, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory; its renames are durable enough for this purpose.
    }
  }

  /** Releases the lock; the batches stay for the next user. */
  @Override
  public synchronized void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      lockChannel.close();
    }
  }
}
