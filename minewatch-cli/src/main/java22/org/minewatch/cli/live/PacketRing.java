package org.minewatch.cli.live;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.minewatch.capture.Bytes;
import org.minewatch.capture.CaptureListener;
import org.minewatch.capture.LinkType;
import org.minewatch.capture.Packet;

/**
 * Live packets straight from the kernel: an AF_PACKET socket with a TPACKET_V3 ring mapped into
 * this process, called through the foreign-function API (Java 22 or later; this class sits in the
 * multi-release jar's {@code META-INF/versions/22}). Where tcpdump copies every packet once more
 * into a pipe and MineWatch reads it back, here the kernel fills blocks of packets in shared memory
 * and each ready block is copied once into a reused array, then parsed in place. A BPF filter
 * (compiled by tcpdump, {@link BpfProgram}) is attached before the socket is bound, so no packet it
 * rejects enters the ring; the snap length is tcpdump's default, 262,144 bytes. The kernel's
 * counters come from PACKET_STATISTICS, which counts only the packets the filter passed.
 */
public final class PacketRing implements PacketCapture {
  /**
   * Each block holds many packets; the kernel hands a block over when it is full or after {@link
   * #RETIRE_MILLIS}. The ring absorbs a stall of the engine (a collection, the JIT, a busy CPU) as
   * long as the smaller of the blocks x RETIRE_MILLIS (a slow link: each block retires part full)
   * and the ring's bytes over the link's rate (a fast one). 64 blocks of 1 MiB (the default;
   * watch's --ring-mib): 6.4 s on a quiet link, 0.2 s at 1 million packets of 350 bytes a second.
   */
  static final int BLOCK_SIZE = 1 << 20;

  static final int RETIRE_MILLIS = 100;

  static final int SNAP_LENGTH = PacketRings.SNAP_LENGTH;

  private static final int AF_PACKET = 17;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int ETH_P_ALL_NETWORK_ORDER = 0x0300; // htons(ETH_P_ALL = 3)
  private static final int SOL_SOCKET = 1;
  private static final int SO_ERROR = 4;
  private static final int SO_ATTACH_FILTER = 26;
  private static final int SOL_PACKET = 263;
  private static final int PACKET_ADD_MEMBERSHIP = 1;
  private static final int PACKET_RX_RING = 5;
  private static final int PACKET_STATISTICS = 6;
  private static final int PACKET_VERSION = 10;
  private static final int TPACKET_V3 = 2;
  private static final int PACKET_MR_PROMISC = 1;
  private static final int FRAME_SIZE = 2048; // required by the ring's request; unused in V3
  private static final int PROT_READ_WRITE = 3;
  private static final int MAP_SHARED = 1;
  private static final short POLLIN = 1;
  private static final int POLL_FAILED = 0x8 | 0x10 | 0x20; // POLLERR | POLLHUP | POLLNVAL
  private static final int EINTR = 4;
  private static final int TP_STATUS_KERNEL = 0;
  private static final int TP_STATUS_USER = 1;
  private static final int TP_STATUS_VLAN_VALID = 1 << 4;
  private static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
  private static final int ARPHRD_ETHER = 1;
  private static final int ARPHRD_LOOPBACK = 772;
  private static final int ARPHRD_NONE = 0xfffe;
  private static final int PACKET_OUTGOING = 4;

  /** sll_pkttype of the struct sockaddr_ll after each packet's 48-byte struct tpacket3_hdr. */
  private static final int PACKET_TYPE = 48 + 10;

  // struct tpacket_block_desc (version, offset_to_priv, then struct tpacket_hdr_v1)
  private static final int BLOCK_STATUS = 8;
  private static final int BLOCK_PACKETS = 12;
  private static final int BLOCK_FIRST_PACKET = 16;
  private static final int BLOCK_LENGTH = 20;

  private static final VarHandle INT = JAVA_INT.varHandle();

  private final String iface;
  private final int fd;
  private final MemorySegment ring;
  private final int blocks;
  private final int linkType;
  private final boolean loopback;
  private final Consumer<String> messages;
  private final byte[] block = new byte[BLOCK_SIZE];
  private final byte[] tagged = new byte[SNAP_LENGTH + 4];
  private final Packet packet = new Packet();
  private volatile boolean stopping;
  private volatile long stopAt;
  private volatile long captured;
  private long received;
  private long dropped;
  private int status;
  private boolean closed;

  private PacketRing(
      String iface,
      int fd,
      MemorySegment ring,
      int blocks,
      int linkType,
      boolean loopback,
      Consumer<String> messages) {
    this.iface = iface;
    this.fd = fd;
    this.ring = ring;
    this.blocks = blocks;
    this.linkType = linkType;
    this.loopback = loopback;
    this.messages = messages;
  }

  /**
   * Opens a ring of {@code blocks} blocks of 1 MiB on {@code iface} in promiscuous mode, as tcpdump
   * does, passing only what {@code filter} passes if it is not null.
   *
   * @throws IOException naming the interface, the step and the system's reason (no such interface,
   *     no permission to capture: root or CAP_NET_RAW is needed, a link type without a known frame,
   *     a filter the kernel refuses)
   */
  public static PacketRing open(
      String iface, int blocks, BpfProgram filter, Consumer<String> messages) throws IOException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment errno = call.allocate(Libc.CALL_STATE);
      int index = (int) Libc.IF_NAMETOINDEX.invokeExact(errno, call.allocateFrom(iface));
      if (index == 0) {
        throw new IOException(iface + ": no such interface (" + Libc.error(errno) + ")");
      }
      // Protocol 0: no packets until bound to the interface, so none from others slip in.
      int fd = (int) Libc.SOCKET.invokeExact(errno, AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
      if (fd < 0) {
        throw new IOException(
            iface
                + ": cannot open an AF_PACKET socket: "
                + Libc.error(errno)
                + " (capturing needs root or CAP_NET_RAW)");
      }
      MemorySegment ring = MemorySegment.NULL;
      try {
        if (filter != null) {
          attach(errno, fd, filter, call, iface);
        }
        MemorySegment version = call.allocateFrom(JAVA_INT, TPACKET_V3);
        setOption(errno, fd, SOL_PACKET, PACKET_VERSION, version, "PACKET_VERSION", iface);
        MemorySegment request = call.allocate(7 * 4L, 4);
        int[] fields = {
          BLOCK_SIZE, blocks, FRAME_SIZE, blocks * (BLOCK_SIZE / FRAME_SIZE), RETIRE_MILLIS, 0, 0
        };
        for (int i = 0; i < fields.length; i++) {
          request.setAtIndex(JAVA_INT, i, fields[i]);
        }
        setOption(errno, fd, SOL_PACKET, PACKET_RX_RING, request, "PACKET_RX_RING", iface);
        long size = (long) BLOCK_SIZE * blocks;
        ring =
            (MemorySegment)
                Libc.MMAP.invokeExact(
                    errno, MemorySegment.NULL, size, PROT_READ_WRITE, MAP_SHARED, fd, 0L);
        if (ring.address() == -1L) {
          ring = MemorySegment.NULL;
          throw new IOException(iface + ": cannot map the capture ring: " + Libc.error(errno));
        }
        ring = ring.reinterpret(size);
        MemorySegment address = call.allocate(20, 4); // struct sockaddr_ll
        address.set(JAVA_SHORT, 0, (short) AF_PACKET);
        address.set(JAVA_SHORT, 2, (short) ETH_P_ALL_NETWORK_ORDER);
        address.set(JAVA_INT, 4, index);
        if ((int) Libc.BIND.invokeExact(errno, fd, address, 20) != 0) {
          throw new IOException(iface + ": cannot bind the capture: " + Libc.error(errno));
        }
        MemorySegment membership = call.allocate(16, 4); // struct packet_mreq
        membership.set(JAVA_INT, 0, index);
        membership.set(JAVA_SHORT, 4, (short) PACKET_MR_PROMISC);
        setOption(errno, fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, membership, "promiscuous", iface);
        MemorySegment length = call.allocateFrom(JAVA_INT, 20);
        if ((int) Libc.GETSOCKNAME.invokeExact(errno, fd, address, length) != 0) {
          throw new IOException(iface + ": cannot read the link type: " + Libc.error(errno));
        }
        int hardware = Short.toUnsignedInt(address.get(JAVA_SHORT, 8));
        int linkType =
            switch (hardware) {
              case ARPHRD_ETHER, ARPHRD_LOOPBACK -> LinkType.ETHERNET;
              case ARPHRD_NONE -> LinkType.RAW;
              default ->
                  throw new IOException(
                      iface + ": link type " + hardware + " (ARPHRD_) is not read from the ring");
            };
        PacketRing opened =
            new PacketRing(
                iface, fd, ring, blocks, linkType, hardware == ARPHRD_LOOPBACK, messages);
        messages.accept(
            "listening on "
                + iface
                + " (AF_PACKET ring: "
                + blocks
                + " blocks of "
                + (BLOCK_SIZE >> 20)
                + " MiB, snapshot length "
                + SNAP_LENGTH
                + " bytes"
                + (filter == null
                    ? ""
                    : ", filter \""
                        + filter.filter()
                        + "\" of "
                        + filter.length()
                        + " instructions")
                + ")");
        return opened;
      } catch (Throwable e) {
        release(fd, ring);
        throw e;
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IOException(iface + ": " + e, e); // invokeExact declares Throwable
    }
  }

  /**
   * Attaches {@code filter} to the socket while it is bound to nothing yet, so that no packet it
   * rejects is ever in the ring. The kernel copies the program: {@code call} may go after.
   */
  private static void attach(
      MemorySegment errno, int fd, BpfProgram filter, Arena call, String iface) throws Throwable {
    MemorySegment code = call.allocate(8L * filter.length(), 8); // struct sock_filter[]
    for (int i = 0; i < filter.length(); i++) {
      long at = 8L * i;
      code.set(JAVA_SHORT, at, filter.code(i));
      code.set(JAVA_BYTE, at + 2, filter.jumpIfTrue(i));
      code.set(JAVA_BYTE, at + 3, filter.jumpIfFalse(i));
      code.set(JAVA_INT, at + 4, filter.constant(i));
    }
    MemorySegment program = call.allocate(16, 8); // struct sock_fprog: u16 len, padding, pointer
    program.set(JAVA_SHORT, 0, (short) filter.length());
    program.set(ADDRESS, 8, code);
    setOption(
        errno,
        fd,
        SOL_SOCKET,
        SO_ATTACH_FILTER,
        program,
        "the filter \"" + filter.filter() + "\" (SO_ATTACH_FILTER)",
        iface);
  }

  private static void setOption(
      MemorySegment errno,
      int fd,
      int level,
      int option,
      MemorySegment value,
      String name,
      String iface)
      throws Throwable {
    if ((int) Libc.SETSOCKOPT.invokeExact(errno, fd, level, option, value, (int) value.byteSize())
        != 0) {
      throw new IOException(iface + ": cannot set " + name + ": " + Libc.error(errno));
    }
  }

  @Override
  public void deliver(Path source, CaptureListener listener) throws IOException {
    long record = 0;
    long offset = 24; // as in tcpdump's pcap stream: a fault names the same record and byte
    int next = 0;
    long graceNanos = (2L * RETIRE_MILLIS + 20) * 1_000_000L;
    try (Arena call = Arena.ofConfined()) {
      MemorySegment errno = call.allocate(Libc.CALL_STATE);
      MemorySegment poll = call.allocate(8, 4); // struct pollfd
      poll.set(JAVA_INT, 0, fd);
      poll.set(JAVA_SHORT, 4, POLLIN);
      while (!stopping || System.nanoTime() - stopAt < graceNanos) {
        long base = (long) next * BLOCK_SIZE;
        if (((int) INT.getAcquire(ring, base + BLOCK_STATUS) & TP_STATUS_USER) == 0) {
          poll.set(JAVA_SHORT, 6, (short) 0);
          int ready = (int) Libc.POLL.invokeExact(errno, poll, 1L, 100);
          if (ready < 0 && Libc.errno(errno) != EINTR) {
            throw new IOException(iface + ": poll: " + Libc.error(errno));
          }
          if (ready > 0 && (poll.get(JAVA_SHORT, 6) & POLL_FAILED) != 0) {
            String why = socketError(call, errno);
            if (why != null) {
              messages.accept(iface + ": the capture stopped: " + why);
              status = 1;
              break;
            }
          }
          continue;
        }
        int packets = ring.get(JAVA_INT, base + BLOCK_PACKETS);
        int first = ring.get(JAVA_INT, base + BLOCK_FIRST_PACKET);
        int end = Math.min(ring.get(JAVA_INT, base + BLOCK_LENGTH), BLOCK_SIZE);
        if (first >= end) {
          packets = 0; // an empty block, retired by the timeout
        } else {
          MemorySegment.copy(ring, JAVA_BYTE, base + first, block, 0, end - first);
        }
        INT.setRelease(ring, base + BLOCK_STATUS, TP_STATUS_KERNEL); // the copy is ours now
        next = (next + 1) % blocks;
        int at = 0;
        for (int i = 0; i < packets && at + PACKET_TYPE < end - first; i++) {
          int step = Bytes.le32(block, at);
          if (loopback && block[at + PACKET_TYPE] == PACKET_OUTGOING) {
            // The loopback interface shows each packet going out and again coming in: keep one,
            // as libpcap does.
            if (step <= 0) {
              break;
            }
            at += step;
            continue;
          }
          // struct tpacket3_hdr, little-endian on every platform the JDK's FFM runs Linux on
          long seconds = Integer.toUnsignedLong(Bytes.le32(block, at + 4));
          long nanos = Integer.toUnsignedLong(Bytes.le32(block, at + 8));
          int snap = Bytes.le32(block, at + 12);
          int wire = Bytes.le32(block, at + 16);
          int flags = Bytes.le32(block, at + 20);
          int data = at + Bytes.le16(block, at + 24);
          boolean tag =
              (flags & TP_STATUS_VLAN_VALID) != 0 && linkType == LinkType.ETHERNET && snap >= 12;
          if (tag) {
            data = withTag(data, snap, at, flags);
            snap += 4;
            wire += 4;
          }
          int length =
              Math.min(Math.min(snap, SNAP_LENGTH), (tag ? tagged.length : end - first) - data);
          packet.set(
              tag ? tagged : block,
              data,
              length,
              Math.max(wire, length),
              seconds * 1_000_000_000L + nanos,
              linkType,
              ++record,
              offset);
          offset += 16 + length;
          listener.packet(packet);
          if (step <= 0) {
            break;
          }
          at += step;
        }
        captured = record;
      }
    } catch (IOException | RuntimeException | Error e) {
      status = 1;
      throw e;
    } catch (Throwable e) {
      status = 1;
      throw new IOException(iface + ": " + e, e);
    } finally {
      requestStatistics();
    }
  }

  /**
   * The kernel took the 802.1Q tag off (VLAN offload) and left it in the header: put it back after
   * the MAC addresses, as libpcap does, into {@link #tagged}.
   */
  private int withTag(int data, int snap, int header, int flags) {
    int tci = Bytes.le32(block, header + 32);
    int tpid = (flags & TP_STATUS_VLAN_TPID_VALID) != 0 ? Bytes.le16(block, header + 36) : 0x8100;
    int length = Math.min(snap, tagged.length - 4);
    System.arraycopy(block, data, tagged, 0, 12);
    tagged[12] = (byte) (tpid >>> 8);
    tagged[13] = (byte) tpid;
    tagged[14] = (byte) (tci >>> 8);
    tagged[15] = (byte) tci;
    System.arraycopy(block, data + 12, tagged, 16, length - 12);
    return 0;
  }

  /** The socket's pending error (SO_ERROR, which reading clears), or null if there is none. */
  private String socketError(Arena call, MemorySegment errno) throws Throwable {
    MemorySegment value = call.allocateFrom(JAVA_INT, 0);
    MemorySegment length = call.allocateFrom(JAVA_INT, 4);
    if ((int) Libc.GETSOCKOPT.invokeExact(errno, fd, SOL_SOCKET, SO_ERROR, value, length) != 0) {
      return Libc.error(errno);
    }
    int code = value.get(JAVA_INT, 0);
    return code == 0 ? null : Libc.message(code);
  }

  /** Reads PACKET_STATISTICS, which the kernel resets on each read, and adds them up. */
  @Override
  public synchronized void requestStatistics() {
    if (closed) {
      return;
    }
    try (Arena call = Arena.ofConfined()) {
      MemorySegment errno = call.allocate(Libc.CALL_STATE);
      MemorySegment stats = call.allocate(12, 4); // struct tpacket_stats_v3
      MemorySegment length = call.allocateFrom(JAVA_INT, 12);
      if ((int) Libc.GETSOCKOPT.invokeExact(errno, fd, SOL_PACKET, PACKET_STATISTICS, stats, length)
          == 0) {
        received += Integer.toUnsignedLong(stats.get(JAVA_INT, 0)); // passed the filter, drops too
        dropped += Integer.toUnsignedLong(stats.get(JAVA_INT, 4));
      }
    } catch (Throwable e) {
      // no statistics this time; the capture goes on
    }
  }

  @Override
  public void stop() {
    if (!stopping) {
      stopAt = System.nanoTime();
      stopping = true;
    }
  }

  @Override
  public int waitFor(long seconds) {
    return status;
  }

  @Override
  public long captured() {
    return captured;
  }

  @Override
  public synchronized long received() {
    return received;
  }

  @Override
  public synchronized long dropped() {
    return dropped;
  }

  @Override
  public String countersFrom() {
    return "the kernel's PACKET_STATISTICS";
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      release(fd, ring);
    }
  }

  private static void release(int fd, MemorySegment ring) {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment errno = call.allocate(Libc.CALL_STATE);
      // Their results are not looked at: there is nothing else to do if these fail.
      if (ring.address() != 0) {
        int unused = (int) Libc.MUNMAP.invokeExact(errno, ring, ring.byteSize());
      }
      int unused = (int) Libc.CLOSE.invokeExact(errno, fd);
    } catch (Throwable e) {
      // nothing more to release
    }
  }

  /** The C library's functions this class calls, each capturing errno. */
  private static final class Libc {
    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO =
        CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    static final MethodHandle SOCKET =
        function("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle SETSOCKOPT =
        function(
            "setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle GETSOCKOPT =
        function(
            "getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle BIND =
        function("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle GETSOCKNAME =
        function("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle MMAP =
        function(
            "mmap",
            FunctionDescriptor.of(
                ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    static final MethodHandle MUNMAP =
        function("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle POLL =
        function("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    static final MethodHandle IF_NAMETOINDEX =
        function("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle STRERROR =
        LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {}

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
      return LINKER.downcallHandle(
          LINKER.defaultLookup().find(name).orElseThrow(),
          descriptor,
          Linker.Option.captureCallState("errno"));
    }

    static int errno(MemorySegment state) {
      return (int) ERRNO.get(state, 0L);
    }

    static String error(MemorySegment state) {
      return message(errno(state));
    }

    static String message(int code) {
      try {
        MemorySegment text = (MemorySegment) STRERROR.invokeExact(code);
        return text.reinterpret(256).getString(0);
      } catch (Throwable e) {
        return "errno " + code;
      }
    }
  }
}
