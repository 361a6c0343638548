package org.minewatch.cli.live;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Consumer;

/**
 * Opens the kernel's capture ring ({@code PacketRing}) where this JVM can run it: the class is
 * compiled for Java 22 (the foreign-function API) into the multi-release jar's {@code
 * META-INF/versions/22}, which Java 17 does not see.
 */
public final class PacketRings {
  static final String RING_CLASS = "org.minewatch.cli.live.PacketRing";
  static final int FIRST_JAVA = 22;

  /** The ring's size in blocks of 1 MiB unless told otherwise (watch's --ring-mib). */
  public static final int DEFAULT_MIB = 64;

  /** The fewest blocks: 8 hold 0.8 s of a quiet link (a block retires after 100 ms). */
  public static final int MIN_MIB = 8;

  /** The most blocks: a GiB of kernel memory that cannot be swapped out. */
  public static final int MAX_MIB = 1024;

  /** tcpdump's {@code -s 0}: longer packets are cut here (their wire length is kept). */
  public static final int SNAP_LENGTH = 262_144;

  private PacketRings() {}

  /** Opens the ring on {@code iface}: {@link #DEFAULT_MIB} MiB, no filter. */
  public static PacketCapture open(String iface, Consumer<String> messages) throws IOException {
    return open(iface, DEFAULT_MIB, null, messages);
  }

  /**
   * Null if this JVM can load the ring, else why not in one line: Java older than 22, or a build
   * without the ring.
   */
  public static String unavailable() {
    int java = Runtime.version().feature();
    if (java < FIRST_JAVA) {
      return "the kernel's ring needs Java " + FIRST_JAVA + " or later (this is Java " + java + ")";
    }
    try {
      Class.forName(RING_CLASS);
      return null;
    } catch (ClassNotFoundException e) {
      return "the kernel's ring is not in this build (compiled without a JDK " + FIRST_JAVA + "+)";
    }
  }

  /**
   * Opens the ring on {@code iface}: {@code mib} blocks of 1 MiB, and only the packets {@code
   * filter} passes, if there is one.
   *
   * @throws IOException with the reason in one line: Java older than 22, no permission to capture,
   *     no such interface, a link type the ring does not read, a filter the kernel refuses
   */
  public static PacketCapture open(
      String iface, int mib, BpfProgram filter, Consumer<String> messages) throws IOException {
    String unavailable = unavailable();
    if (unavailable != null) {
      throw new IOException(unavailable);
    }
    try {
      return (PacketCapture)
          Class.forName(RING_CLASS)
              .getMethod("open", String.class, int.class, BpfProgram.class, Consumer.class)
              .invoke(null, iface, mib, filter, messages);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof IllegalCallerException) {
        throw new IOException(
            "native access is not enabled (java --enable-native-access=ALL-UNNAMED)", cause);
      }
      throw new IOException(iface + ": the kernel's ring failed: " + cause, cause);
    } catch (ReflectiveOperationException e) {
      throw new IOException("the kernel's ring cannot be loaded: " + e, e);
    }
  }
}
