package io.execsim.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector at paranoid level with a listener on the detector of all byte buffers, so that a test can
 * check that every buffer it caused was released. The detector only learns of a leak once the garbage collector has
 * found the buffer, so a check can miss a leak, never invent one.
 */
public final class NettyLeaks {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    try {
      // The byte buffer detector is created once per JVM, possibly before this class runs: listen to it.
      Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
      field.setAccessible(true);
      ((ResourceLeakDetector<?>) field.get(null)).setLeakListener((type, records) -> LEAKS.add(type + records));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot reach Netty's byte buffer leak detector", e);
    }
  }

  private NettyLeaks() {
  }

  /** Turns paranoid leak detection on; call it from a static initializer of a test class. */
  public static void detectAtParanoidLevel() {
    // the static initializer did it
  }

  /** Collects garbage, lets the detector poll, and fails if it reported a leaked buffer. */
  public static void assertNoneLeaked() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      for (int i = 0; i < 64; i++) {
        ByteBufAllocator.DEFAULT.buffer(8).release();
      }
    }
    List<String> found = List.copyOf(LEAKS);
    LEAKS.clear();
    assertThat(found).as("buffers that were never released").isEmpty();
  }
}
