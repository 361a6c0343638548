package org.minewatch.scan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.minewatch.capture.CaptureInput;
import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.detect.Detector;
import org.minewatch.detect.behaviour.BehaviourJudge;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.flow.ExpiryClock;
import org.minewatch.intel.PoolCatalogue;

/**
 * The packet pipeline on several cores. The calling thread reads and triages each packet (decode,
 * count, report faults) and hands it to the worker chosen by a symmetric hash of its two addresses:
 * both directions of a flow, and every flow between two hosts, meet in one worker, which owns a
 * flow table, detector sessions and its share of the flow and buffer limits.
 *
 * <p>Packets are not copied: the capture reader reads into chunks this class supplies ({@link
 * #freshArray}), and a batch is an index of records in one chunk (offsets, lengths, times,
 * positions, workers). A chunk goes back to a small pool once the reader has moved past it and
 * every worker has finished every batch that points into it, so memory stays bounded. Packets from
 * elsewhere (a record larger than a chunk, a source that reuses its array) are copied as before.
 *
 * <p>The result is the sequential scan's: workers log their evidence keyed by input position
 * ({@link EvidenceLog}) and the calling thread replays it into the one aggregator in that order
 * once every worker has passed it; the one piece of state shared across flows, names resolved in
 * the traffic, is read in input order ({@link WorkerPositions}). Where the limits bite (a full flow
 * table, a spent buffer budget) each worker decides within its own share.
 */
final class ParallelAnalysis implements PacketAnalysis {
  /** Packets per batch; a batch is also cut at a file's end. */
  static final int BATCH_PACKETS = 4096;

  /**
   * Bytes of a chunk the reader reads into; also of a batch's own array for copied packets. As the
   * capture reader's own array: 1 MiB chunks cost as much CPU or a little more (ScanThreadCpu, 2
   * threads: 0.80 s a pass against 0.75 s), and four times the memory.
   */
  static final int CHUNK_BYTES = CaptureInput.CHUNK;

  /** In place of a worker: an entry for all, to expire flows at its time before its position. */
  private static final byte EVERY_WORKER = -1;

  /** Thrown where a worker thread failed: the analysis cannot go on. */
  static final class WorkerFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkerFailed(Throwable cause) {
      super("a scan worker failed: " + cause, cause);
    }
  }

  /** Capture bytes the reader read, shared by the batches that point into them. */
  private static final class Chunk {
    final byte[] bytes = new byte[CHUNK_BYTES];

    /** The reader's hold while it may still read or copy from it, and one per batch. */
    final AtomicInteger holds = new AtomicInteger();
  }

  /** Packets for every worker, in input order; each worker takes its own. */
  private static final class Batch {
    /** Where the packets lie: {@link #chunk}'s bytes, or {@link #own} for copied packets. */
    byte[] data;

    /** The chunk the packets point into; null: they are copied into {@link #own}. */
    Chunk chunk;

    byte[] own;
    int used;
    int count;
    final int[] offset = new int[BATCH_PACKETS];
    final int[] length = new int[BATCH_PACKETS];
    final int[] wireLength = new int[BATCH_PACKETS];
    final int[] linkType = new int[BATCH_PACKETS];
    final long[] timestamp = new long[BATCH_PACKETS];
    final long[] record = new long[BATCH_PACKETS];
    final long[] fileOffset = new long[BATCH_PACKETS];
    final long[] position = new long[BATCH_PACKETS];

    /** The last packet before each that could add a name resolved in the traffic; -1: none. */
    final long[] lastWriter = new long[BATCH_PACKETS];

    final byte[] worker = new byte[BATCH_PACKETS];
    Path file;

    /** Every packet before this position of the input is in this batch or an earlier one. */
    long end;

    final AtomicInteger pending = new AtomicInteger();
    final boolean last;

    Batch(boolean last) {
      this.last = last;
    }

    void clear() {
      used = 0;
      count = 0;
      data = null;
      chunk = null;
    }
  }

  private final Worker[] workers;
  private final BlockingQueue<Batch> free;
  private final BlockingQueue<Chunk> freeChunks;

  /** The chunk the reader reads into now, and the one before it (whose tail it may still copy). */
  private Chunk filling;

  private Chunk previous;
  private final Batch last = new Batch(true);
  private final WorkerPositions positions;
  private final EvidenceAggregator aggregator;
  private final ScanStats stats;
  private final Triage triage;
  private final DecodedPacket decoded = new DecodedPacket();
  private final List<EvidenceLog.Event> replay = new ArrayList<>();
  private final ExpiryClock clock = new ExpiryClock();
  private final PoolCatalogue catalogue;

  /** The position of the last packet given out that could add a name; -1: none yet. */
  private long lastWriter = -1;

  private Batch current;
  private long position;
  private boolean finished;
  private volatile Throwable failure;

  private static final Comparator<EvidenceLog.Event> INPUT_ORDER =
      Comparator.comparingLong(EvidenceLog.Event::position)
          .thenComparingLong(EvidenceLog.Event::order);

  /**
   * @param threads workers, at least 1 (one worker still takes the analysis off the reading thread)
   * @param positions shared with the names resolved in the traffic that the detectors consult
   * @param catalogue the pools whose names the detectors store when resolved
   * @param detectors a fresh set of detectors for each worker
   * @param maxFlows flows all workers hold together
   * @param bufferBudget bytes all workers' reassembly buffers hold together
   */
  ParallelAnalysis(
      int threads,
      WorkerPositions positions,
      PoolCatalogue catalogue,
      Supplier<List<Detector>> detectors,
      EvidenceAggregator aggregator,
      ScanStats stats,
      ScanReporter reporter,
      int maxFlows,
      BehaviourJudge judge,
      long bufferBudget) {
    if (threads < 1 || threads > 127) {
      throw new IllegalArgumentException("1 to 127 workers");
    }
    this.positions = positions;
    this.catalogue = catalogue;
    this.aggregator = aggregator;
    this.stats = stats;
    ScanReporter shared = new SynchronizedReporter(reporter);
    this.triage = new Triage(stats, shared);
    int batches = 2 * threads + 2;
    this.free = new ArrayBlockingQueue<>(batches);
    for (int i = 0; i < batches; i++) {
      free.add(new Batch(false));
    }
    // Each batch points into at most one chunk; the reader holds two more and takes a third.
    int chunks = batches + 3;
    this.freeChunks = new ArrayBlockingQueue<>(chunks);
    for (int i = 0; i < chunks; i++) {
      freeChunks.add(new Chunk());
    }
    this.workers = new Worker[threads];
    for (int w = 0; w < threads; w++) {
      EvidenceLog log = new EvidenceLog();
      ScanStats own = new ScanStats();
      Analyzer analyzer =
          new Analyzer(
              detectors.get(),
              log,
              own,
              shared,
              Math.max(1, maxFlows / threads),
              judge,
              Math.max(1, bufferBudget / threads));
      analyzer.expireOnlyWhenCalled();
      workers[w] = new Worker(w, analyzer, log, own, batches);
    }
    for (Worker w : workers) {
      w.thread.start();
    }
    this.current = take();
  }

  @Override
  public void startFile(Path file) {
    triage.startFile(file);
    current.file = file;
  }

  @Override
  public void finishFile() {
    if (current.count > 0) {
      publish();
    }
    // The file's reader is done: it reads no more into its chunks.
    release(previous);
    release(filling);
    previous = null;
    filling = null;
    triage.finishFile();
  }

  /**
   * A pooled chunk for the capture reader to read into, once the workers have released one; null
   * (the reader then makes its own array, whose packets are copied) for a record beyond a chunk.
   */
  @Override
  public byte[] freshArray(int minLength) {
    if (minLength > CHUNK_BYTES) {
      return null;
    }
    Chunk c = awaitFree(freeChunks);
    if (!c.holds.compareAndSet(0, 1)) {
      // Once per chunk: a chunk in the pool that someone still holds would be overwritten under
      // a worker's feet; better to end the scan with the error than to give wrong findings.
      failure = new IllegalStateException("a chunk in the pool is still held: " + c.holds.get());
      checkFailure();
    }
    // The reader has copied what it kept of the chunk before last: that one is no longer read.
    release(previous);
    previous = filling;
    filling = c;
    return c.bytes;
  }

  private void release(Chunk c) {
    if (c != null && c.holds.decrementAndGet() == 0) {
      freeChunks.add(c);
    }
  }

  @Override
  public void packet(Packet p) {
    long at = position++;
    if (!triage.admit(p, decoded)) {
      return;
    }
    int length = p.capturedLength();
    byte[] buffer = p.buffer();
    Chunk source = filling != null && buffer == filling.bytes ? filling : null;
    Batch b = current;
    // Room for the packet and an expiry before it, in a batch of packets from the same place.
    if (b.count > 0
        && (b.count >= BATCH_PACKETS - 1
            || b.chunk != source
            || (source == null && b.used + length > b.own.length))) {
      publish();
      b = current;
    }
    if (b.count == 0) {
      b.chunk = source;
      if (source != null) {
        source.holds.incrementAndGet();
        b.data = source.bytes;
      } else {
        if (b.own == null || b.own.length < length) {
          b.own = new byte[Math.max(length, CHUNK_BYTES)]; // a packet larger than a batch grows it
        }
        b.data = b.own;
      }
    }
    if (clock.due(decoded.timestampNanos())) {
      int e = b.count++;
      b.worker[e] = EVERY_WORKER;
      b.position[e] = at;
      b.lastWriter[e] = lastWriter;
      b.timestamp[e] = decoded.timestampNanos();
    }
    int i = b.count++;
    if (source != null) {
      b.offset[i] = p.offset();
    } else {
      System.arraycopy(buffer, p.offset(), b.data, b.used, length);
      b.offset[i] = b.used;
      b.used += length;
    }
    b.length[i] = length;
    b.wireLength[i] = p.wireLength();
    b.linkType[i] = p.linkType();
    b.timestamp[i] = p.timestampNanos();
    b.record[i] = p.recordNumber();
    b.fileOffset[i] = p.fileOffset();
    b.position[i] = at;
    b.lastWriter[i] = lastWriter;
    b.worker[i] = (byte) workerOf(decoded, workers.length);
    if (mayAddName(decoded)) {
      lastWriter = at;
    }
  }

  /**
   * Whether a packet could add a name resolved in the traffic: a DNS message with a question and an
   * answer whose first question could be a pool's name, over UDP or starting a TCP segment, or
   * anything over TCP port 53, where a message split over segments completes. A superset of what
   * the DNS detector stores, settled for most packets by the header's counts.
   */
  private boolean mayAddName(DecodedPacket d) {
    int length = d.payloadLength();
    int offset = d.payloadOffset();
    byte[] b = d.buffer();
    if (d.isTcp()) {
      if (d.srcPort() == 53 || d.dstPort() == 53) {
        return length > 0;
      }
      offset += 2; // DNS over TCP: a length, then the message
      length -= 2;
    }
    // As the DNS parser demands: 1 to 4 questions, at most 64 answers; and an answer to store.
    return length >= 13
        && b[offset + 4] == 0
        && b[offset + 5] >= 1
        && b[offset + 5] <= 4
        && b[offset + 6] == 0
        && b[offset + 7] >= 1
        && b[offset + 7] <= 64
        && catalogue.mayBePoolName(b, offset + 12, offset + length);
  }

  @Override
  public void malformedRecord(Path file, long recordNumber, long fileOffset, String reason) {
    triage.malformedRecord(file, recordNumber, fileOffset, reason);
  }

  /** Waits until the workers have analysed every packet given so far and replays their evidence. */
  @Override
  public void drain() {
    if (current.count > 0) {
      publish();
    }
    // Every batch back in the free queue means every worker is done with every batch.
    List<Batch> held = new ArrayList<>();
    while (held.size() < 2 * workers.length + 1) {
      held.add(take());
    }
    free.addAll(held);
    replay(position);
  }

  @Override
  public void finish() {
    if (finished) {
      return;
    }
    finished = true;
    finishFile();
    free.add(current);
    last.end = EvidenceLog.END;
    for (Worker w : workers) {
      put(w.queue, last);
    }
    for (Worker w : workers) {
      try {
        w.thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkerFailed(e);
      }
    }
    checkFailure();
    replay(EvidenceLog.END);
    updateStats();
  }

  /**
   * Sums the workers' counters; while they run, as of each one's last batch (for progress lines).
   */
  @Override
  public void updateStats() {
    ScanStats[] each = new ScanStats[workers.length];
    for (int w = 0; w < workers.length; w++) {
      each[w] = workers[w].stats;
    }
    stats.sumWorkers(each);
  }

  private void publish() {
    Batch b = current;
    b.end = position;
    b.pending.set(workers.length);
    positions.dispatched(position);
    for (Worker w : workers) {
      put(w.queue, b);
    }
    Path file = b.file;
    current = take();
    current.file = file;
  }

  /** A free batch; whatever its return shows to be complete is replayed first. */
  private Batch take() {
    Batch b = awaitFree(free);
    if (b.end > 0) {
      replay(b.end); // every worker has passed this batch: its evidence and all before are final
    }
    b.clear();
    return b;
  }

  private void replay(long before) {
    for (Worker w : workers) {
      w.log.drain(before, replay);
    }
    if (replay.isEmpty()) {
      return;
    }
    replay.sort(INPUT_ORDER); // stable: the same key only within one worker, already in order
    for (EvidenceLog.Event e : replay) {
      if (e.evidence() != null) {
        aggregator.accept(e.evidence());
      } else {
        aggregator.flowEnded(e.flowId(), e.firstNanos(), e.lastNanos(), e.bytes());
      }
    }
    replay.clear();
  }

  /**
   * The next free batch or chunk. Waits in short steps, looking for a failed worker between them: a
   * worker that ended early gives nothing back, and the reader must not wait for it forever.
   */
  private <T> T awaitFree(BlockingQueue<T> queue) {
    try {
      while (true) {
        T t = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        checkFailure();
        if (t != null) {
          return t;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerFailed(e);
    }
  }

  private void checkFailure() {
    Throwable t = failure;
    if (t != null) {
      // The other workers stop too: no thread outlives the scan that failed.
      for (Worker w : workers) {
        w.queue.offer(last); // a queue always has room: it holds more than all batches
      }
      throw new WorkerFailed(t);
    }
  }

  private static void put(BlockingQueue<Batch> queue, Batch b) {
    try {
      queue.put(b);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerFailed(e);
    }
  }

  /**
   * A worker for the packet's address pair: the same for both directions (a sum over the two
   * addresses), spread by one 64-bit finaliser and scaled to the workers by a multiply rather than
   * a division (this runs on the reading thread for every packet).
   */
  static int workerOf(DecodedPacket d, int workers) {
    long h =
        mix(
            (d.srcHi() * 0x9e3779b97f4a7c15L ^ d.srcLo())
                + (d.dstHi() * 0x9e3779b97f4a7c15L ^ d.dstLo()));
    return (int) (((h >>> 32) * workers) >>> 32);
  }

  /** MurmurHash3's 64-bit finaliser. */
  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }

  /** One worker thread: its analyzer, its evidence log, its queue of batches. */
  private final class Worker implements Runnable {
    final int index;
    final Analyzer analyzer;
    final EvidenceLog log;
    final ScanStats stats;
    final BlockingQueue<Batch> queue;
    final Thread thread;
    private final Packet view = Packet.of(new byte[0], 0, 0, 0, 0, 0);
    private Path file;
    private WorkerPositions.Slot slot;

    Worker(int index, Analyzer analyzer, EvidenceLog log, ScanStats stats, int batches) {
      this.index = index;
      this.analyzer = analyzer;
      this.log = log;
      this.stats = stats;
      this.queue = new ArrayBlockingQueue<>(batches + 1);
      analyzer.numberFlows(index + 1, workers.length);
      this.thread = new Thread(this, "minewatch-scan-" + (index + 1));
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      slot = positions.enter(index);
      while (true) {
        Batch b;
        try {
          b = queue.take();
        } catch (InterruptedException e) {
          fail(e);
          return;
        }
        if (b.last) {
          break;
        }
        if (failure == null) {
          try {
            analyse(b);
            analyzer.updateStats(); // for progress lines, read by the dispatcher as they are
          } catch (RuntimeException | Error e) {
            fail(e);
          }
        }
        positions.advance(index, b.end);
        if (b.pending.decrementAndGet() == 0) {
          release(b.chunk);
          free.add(b);
        }
      }
      positions.advance(index, EvidenceLog.END);
      if (failure == null) {
        try {
          analyzer.finish();
        } catch (RuntimeException | Error e) {
          fail(e);
        }
      }
    }

    private void analyse(Batch b) {
      if (b.file != file) {
        file = b.file;
        analyzer.startFile(file);
      }
      byte mine = (byte) index;
      byte[] worker = b.worker;
      for (int i = 0, n = b.count; i < n; i++) {
        if (worker[i] != mine) {
          if (worker[i] == EVERY_WORKER) {
            long at = b.position[i];
            positions.advance(slot, at, b.lastWriter[i]);
            log.expiring(at);
            analyzer.expire(b.timestamp[i]);
          }
          continue;
        }
        long at = b.position[i];
        positions.advance(slot, at, b.lastWriter[i]);
        log.at(at);
        view.point(
            b.data,
            b.offset[i],
            b.length[i],
            b.wireLength[i],
            b.timestamp[i],
            b.linkType[i],
            b.record[i],
            b.fileOffset[i]);
        analyzer.admitted(view, at);
      }
    }

    private void fail(Throwable t) {
      if (failure == null) {
        failure = t;
      }
      positions.advance(index, EvidenceLog.END); // nobody waits for a worker that stopped
    }
  }

  /** Fault reports from several threads, one line at a time. */
  private record SynchronizedReporter(ScanReporter inner) implements ScanReporter {
    @Override
    public synchronized void problem(String line) {
      inner.problem(line);
    }

    @Override
    public synchronized void progress(ScanStats stats, String currentFile) {
      inner.progress(stats, currentFile);
    }
  }
}
