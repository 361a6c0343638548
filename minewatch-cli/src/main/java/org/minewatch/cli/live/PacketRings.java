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

  private PacketRings() {}

  /**
   * Opens the ring on {@code iface}.
   *
   * @throws IOException with the reason in one line: Java older than 22, no permission to capture,
   *     no such interface, a link type the ring does not read
   */
  public static PacketCapture open(String iface, Consumer<String> messages) throws IOException {
    int java = Runtime.version().feature();
    if (java < FIRST_JAVA) {
      throw new IOException(
          "the kernel's ring needs Java " + FIRST_JAVA + " or later (this is Java " + java + ")");
    }
    Class<?> ring;
    try {
      ring = Class.forName(RING_CLASS);
    } catch (ClassNotFoundException e) {
      throw new IOException(
          "the kernel's ring is not in this build (compiled without a JDK " + FIRST_JAVA + "+)", e);
    }
    try {
      return (PacketCapture)
          ring.getMethod("open", String.class, Consumer.class).invoke(null, iface, messages);
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
