package io.execsim.core.fault;

import io.execsim.core.error.GoText;
import java.time.Duration;

/**
 * What a fault does to a link, after Toxiproxy's toxics: to the bytes or messages that travel in the fault's
 * direction, or to the connection as a whole. Not every effect fits every kind of link; {@link #appliesTo} says.
 */
public sealed interface LinkEffect extends Effect {
  /**
   * Every write arrives {@code delay} late, give or take up to {@code jitter} from the seeded source; the peer reads
   * the same bytes or messages, in order, later. Any link.
   *
   * @param delay the added delay
   * @param jitter how far each delay may stray from {@code delay}, either way; at most {@code delay}
   */
  record Latency(Duration delay, Duration jitter) implements LinkEffect {
    /** Checks the durations. */
    public Latency {
      Rules.requireNotNegative("latency", delay);
      Rules.requireNotNegative("jitter", jitter);
      if (jitter.compareTo(delay) > 0) {
        throw new IllegalArgumentException(
            "jitter must not exceed the latency " + GoText.duration(delay) + ": " + GoText.duration(jitter));
      }
    }

    @Override
    public String print() {
      return jitter.isZero()
          ? "latency " + GoText.duration(delay)
          : "latency " + GoText.duration(delay) + " jitter " + GoText.duration(jitter);
    }
  }

  /**
   * The peer receives at most {@code bytesPerSecond} bytes each second; output arrives whole, but slowly. Byte
   * streams and FIFOs.
   *
   * @param bytesPerSecond the rate, at least 1
   */
  record Bandwidth(long bytesPerSecond) implements LinkEffect {
    /** Checks the rate. */
    public Bandwidth {
      if (bytesPerSecond < 1) {
        throw new IllegalArgumentException("bandwidth must be at least 1 byte per second: " + bytesPerSecond);
      }
    }

    @Override
    public String print() {
      return "bandwidth " + ByteSize.format(bytesPerSecond) + "/s";
    }
  }

  /**
   * Nothing more arrives while the fault lasts, yet the connection stays open; the peer waits, and its own
   * timeouts decide what happens. Any link.
   */
  record Stall() implements LinkEffect {
    @Override
    public String print() {
      return "stall";
    }
  }

  /**
   * The connection is reset (RST): both ends fail their reads and writes with {@code connection reset by peer}, and
   * calls in flight fail as gRPC and ttrpc fail on a broken connection. Byte streams and calls; instant.
   */
  record Reset() implements LinkEffect {
    @Override
    public String print() {
      return "reset";
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }

  /**
   * The sending end closes its side (FIN): the peer reads end of file in the fault's direction, while the other way
   * stays open; on a FIFO, the writer's end closes. Byte streams and FIFOs; instant.
   */
  record HalfClose() implements LinkEffect {
    @Override
    public String print() {
      return "half-close";
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }

  /**
   * The peer reads the same bytes cut into pieces of {@code averageSize} give or take {@code sizeVariation}, each
   * {@code delay} after the last, so its decoders must join frames split across reads. Byte streams and FIFOs.
   *
   * @param averageSize the average piece, at least 1 byte
   * @param sizeVariation how far a piece may stray from the average, less than the average
   * @param delay the time between pieces
   */
  record Slicer(long averageSize, long sizeVariation, Duration delay) implements LinkEffect {
    /** Checks the sizes and the delay. */
    public Slicer {
      if (averageSize < 1) {
        throw new IllegalArgumentException("a slice must average at least 1 byte: " + averageSize);
      }
      if (sizeVariation < 0 || sizeVariation >= averageSize) {
        throw new IllegalArgumentException(
            "a slice's size variation must be at least 0 and below its average size " + averageSize + ": "
                + sizeVariation);
      }
      Rules.requireNotNegative("a slicer's delay", delay);
    }

    @Override
    public String print() {
      String text = "slicer " + ByteSize.format(averageSize);
      if (sizeVariation != 0) {
        text += " variation " + ByteSize.format(sizeVariation);
      }
      return delay.isZero() ? text : text + " delay " + GoText.duration(delay);
    }
  }

  /**
   * The link closes once {@code bytes} bytes have crossed it in the fault's direction since the fault fired; the
   * peer sees its stream end early, as when a connection drops. Byte streams and FIFOs.
   *
   * @param bytes how many bytes still pass, 0 for none
   */
  record LimitData(long bytes) implements LinkEffect {
    /** Checks the limit. */
    public LimitData {
      if (bytes < 0) {
        throw new IllegalArgumentException("a data limit must not be negative: " + bytes);
      }
    }

    @Override
    public String print() {
      return "limit-data " + ByteSize.format(bytes);
    }
  }

  /**
   * The first frame to cross after the trigger arrives with a malformed header; the peer's WebSocket or SPDY codec
   * fails it as a protocol error and closes the stream. Byte streams; instant.
   */
  record CorruptFrame() implements LinkEffect {
    @Override
    public String print() {
      return "corrupt-frame";
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }
}
