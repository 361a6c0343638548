package org.minewatch.capture;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * Releases a mapped window at once instead of when the garbage collector gets to it, so that a
 * scan's resident memory does not grow with the size of the file. Uses {@code
 * sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported); where that is missing, windows are left
 * to the collector, which is correct but holds more memory.
 */
final class Unmapper {
  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;

  static {
    Object unsafe = null;
    Method clean = null;
    try {
      Class<?> c = Class.forName("sun.misc.Unsafe");
      Field f = c.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      unsafe = f.get(null);
      clean = c.getMethod("invokeCleaner", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      unsafe = null;
      clean = null;
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = clean;
  }

  private Unmapper() {}

  /** Unmaps a direct or mapped buffer; the caller must drop every reference to it first. */
  static void unmap(ByteBuffer buffer) {
    if (buffer == null || !buffer.isDirect() || INVOKE_CLEANER == null) {
      return;
    }
    try {
      INVOKE_CLEANER.invoke(UNSAFE, buffer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // A slice or duplicate cannot be cleaned; the collector will release it.
    }
  }
}
