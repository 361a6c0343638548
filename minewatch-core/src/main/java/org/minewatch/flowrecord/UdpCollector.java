package org.minewatch.flowrecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Receives NetFlow v5/v9 and IPFIX export datagrams on a UDP socket and decodes them. Each exporter
 * (source address and port) has its own templates and sequence numbers; the templates of one source
 * address, whatever its ports, count against one exporter's {@link TemplateLimits}. A datagram that
 * cannot be decoded is counted by kind and, the first {@value #TOLD_PER_KIND} of each kind,
 * reported; the collector goes on with the next one.
 *
 * <p>So that bursts and the analysis's pauses (a collection, a slow finding) lose nothing, a thread
 * of its own does nothing but empty the socket, datagram after datagram into large batch buffers
 * ({@value #BATCHES} of {@value #BATCH_BYTES} bytes, on top of the socket's own receive buffer),
 * which it hands to the thread that called {@link #run} to decode in place and analyse. Only when
 * every batch is waiting for the analysis does the socket's buffer fill, and the kernel drop.
 */
public final class UdpCollector implements AutoCloseable {
  /**
   * The socket receive buffer asked for by default; the kernel grants at most {@code
   * net.core.rmem_max}.
   */
  public static final int DEFAULT_RECEIVE_BUFFER = 32 << 20;

  /** Malformed datagrams of one kind reported one by one; the rest are counted. */
  public static final int TOLD_PER_KIND = 20;

  static final int BATCH_BYTES = 1 << 20;
  static final int BATCHES = 32;
  private static final int MAX_DATAGRAM = 65_535;

  /** Datagrams a batch holds at most, however small they are. */
  private static final int BATCH_DATAGRAMS = 8_192;

  /** Exporters whose names are kept between datagrams; past it the names are made anew. */
  private static final int NAMED_SENDERS = 4_096;

  private final DatagramChannel channel;
  private final Selector selector;
  private volatile boolean closed;
  private volatile IOException receiveFailure;
  private long datagrams;
  private ProblemDigest<ExportFormatException.Kind> malformed = digest(text -> {});

  /** Receives what could not be decoded. */
  public interface Problems {
    void problem(String text);
  }

  /** Datagrams received together, each where it lies in the buffer. */
  private static final class Batch {
    final ByteBuffer buffer = ByteBuffer.allocate(BATCH_BYTES);
    final int[] offsets = new int[BATCH_DATAGRAMS];
    final int[] lengths = new int[BATCH_DATAGRAMS];
    final SocketAddress[] senders = new SocketAddress[BATCH_DATAGRAMS];
    int count;

    boolean full() {
      return count == BATCH_DATAGRAMS || buffer.remaining() < MAX_DATAGRAM;
    }
  }

  /** The names an exporter is known by: with its port, and its address alone (its templates). */
  private record Names(String exporter, String host) {}

  /** Listens with the {@link #DEFAULT_RECEIVE_BUFFER}. */
  public UdpCollector(InetSocketAddress listen) throws IOException {
    this(listen, DEFAULT_RECEIVE_BUFFER);
  }

  /**
   * Listens, asking the kernel for a socket receive buffer of {@code receiveBuffer} bytes (it may
   * grant less: see {@link #receiveBuffer()}).
   */
  public UdpCollector(InetSocketAddress listen, int receiveBuffer) throws IOException {
    channel = DatagramChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
      channel.bind(listen);
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public InetSocketAddress localAddress() {
    try {
      return (InetSocketAddress) channel.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The socket receive buffer as the kernel reports it: at most {@code net.core.rmem_max} is
   * granted, which Linux usually reports doubled (its bookkeeping).
   */
  public int receiveBuffer() {
    try {
      return channel.getOption(StandardSocketOptions.SO_RCVBUF);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long datagrams() {
    return datagrams;
  }

  public long malformed() {
    return malformed.total();
  }

  /**
   * The malformed datagrams by kind, e.g. "3 not NetFlow/IPFIX, 2 with a bad set"; empty if none.
   */
  public String malformedByKind() {
    return malformed.summary();
  }

  private static ProblemDigest<ExportFormatException.Kind> digest(ProblemDigest.Sink sink) {
    return new ProblemDigest<>(
        ExportFormatException.Kind.class,
        TOLD_PER_KIND,
        "malformed datagrams",
        ExportFormatException.Kind::label,
        sink);
  }

  /** As {@link #runInto}, each record delivered as an object of its own. */
  public void run(
      ExportDecoder decoder,
      Consumer<FlowRecord> out,
      Problems problems,
      Runnable tick,
      int tickMillis)
      throws IOException {
    runInto(decoder, v -> out.accept(v.toRecord()), problems, tick, tickMillis);
  }

  /**
   * Receives until {@link #close()}, decoding into {@code out}'s reused view; calls {@code tick}
   * whenever {@code tickMillis} pass without a datagram and after each batch of datagrams, so the
   * caller can report on time while traffic is quiet. {@code problems} hears the first {@value
   * #TOLD_PER_KIND} malformed datagrams of each kind. Datagrams received before the close are all
   * decoded before it returns.
   */
  public void runInto(
      ExportDecoder decoder, FlowSink out, Problems problems, Runnable tick, int tickMillis)
      throws IOException {
    malformed = digest(problems::problem);
    BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
    BlockingQueue<Batch> filled = new ArrayBlockingQueue<>(BATCHES + 1);
    for (int i = 0; i < BATCHES; i++) {
      free.add(new Batch());
    }
    Batch end = new Batch();
    Thread receiver = new Thread(() -> receive(free, filled, end), "minewatch-udp-receive");
    receiver.setDaemon(true);
    receiver.start();
    Map<SocketAddress, Names> names = new HashMap<>();
    SocketAddress lastSender = null;
    Names lastNames = null;
    try {
      while (true) {
        Batch batch = filled.poll(tickMillis, TimeUnit.MILLISECONDS);
        if (batch == null) {
          tick.run();
          continue;
        }
        if (batch == end) {
          break;
        }
        byte[] bytes = batch.buffer.array();
        for (int i = 0; i < batch.count; i++) {
          datagrams++;
          SocketAddress from = batch.senders[i];
          if (from != lastSender) {
            // Names made once per sender, not for every datagram of a steady exporter.
            lastSender = from;
            lastNames = names.get(from);
            if (lastNames == null) {
              if (names.size() >= NAMED_SENDERS) {
                names.clear();
              }
              lastNames = names(from);
              names.put(from, lastNames);
            }
          }
          try {
            decoder.decodeInto(
                lastNames.exporter(),
                lastNames.host(),
                bytes,
                batch.offsets[i],
                batch.lengths[i],
                out);
          } catch (ExportFormatException e) {
            malformed.add(e.kind(), e.getMessage());
          }
        }
        batch.buffer.clear();
        batch.count = 0;
        free.add(batch);
        tick.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close();
      try {
        receiver.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (receiveFailure != null) {
      throw receiveFailure;
    }
  }

  private static Names names(SocketAddress from) {
    InetSocketAddress a = (InetSocketAddress) from;
    String host = a.getAddress().getHostAddress();
    return new Names(host + ":" + a.getPort(), host);
  }

  /**
   * The receiving thread: fills batches from the socket, hands each over when it is full or the
   * socket has nothing more for now, and ends with {@code end} once closed.
   */
  private void receive(BlockingQueue<Batch> free, BlockingQueue<Batch> filled, Batch end) {
    Batch batch = null;
    try {
      while (!closed) {
        if (batch == null) {
          // Waits only while every batch awaits the analysis; the kernel's buffer fills meanwhile.
          batch = free.poll(100, TimeUnit.MILLISECONDS);
          if (batch == null) {
            continue;
          }
        }
        ByteBuffer buffer = batch.buffer;
        int at = buffer.position();
        SocketAddress from = channel.receive(buffer);
        if (from != null) {
          batch.offsets[batch.count] = at;
          batch.lengths[batch.count] = buffer.position() - at;
          batch.senders[batch.count] = from;
          batch.count++;
          if (batch.full()) {
            filled.put(batch);
            batch = null;
          }
        } else if (batch.count > 0 && filled.isEmpty()) {
          // The socket is empty and the analysis waits for work: what there is goes now. While
          // the analysis is busy, the batch goes on filling, so a stall uses whole batches.
          filled.put(batch);
          batch = null;
        } else {
          selector.select(key -> {}, batch.count > 0 ? 2 : 100);
        }
      }
    } catch (ClosedChannelException | ClosedSelectorException e) {
      // closed: the end
    } catch (IOException e) {
      if (!closed) {
        receiveFailure = e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        if (batch != null && batch.count > 0) {
          filled.put(batch);
        }
        filled.put(end);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops {@link #run}; safe from any thread. */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      channel.close();
      selector.close();
    } catch (IOException e) {
      // closing: nothing left to tell
    }
  }
}
