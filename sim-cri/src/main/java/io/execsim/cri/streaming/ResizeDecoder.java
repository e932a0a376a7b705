package io.execsim.cri.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import io.execsim.core.error.GoError;
import io.execsim.core.io.ByteSource;
import io.execsim.core.json.GoJsonDecoder;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.remotecommand.TerminalSizeChannel;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The streaming server's {@code handleResizeEvents}: a {@code json.Decoder} over the resize stream, each value decoded
 * into {@code remotecommand.TerminalSize{Width, Height uint16}} (keys matched as encoding/json matches them, exactly or
 * else ignoring case) and put on the exec's size channel. The first value that is not valid JSON or does not fit ends
 * the loop, as does the end of the stream; either closes the channel. A JSON {@code null} is a zero size, as it leaves
 * Go's struct untouched.
 */
final class ResizeDecoder {
  private static final int READ_SIZE = 4096;

  private final ByteSource source;
  private final TerminalSizeChannel sizes;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private int decoded;

  ResizeDecoder(ByteSource source, TerminalSizeChannel sizes) {
    this.source = source;
    this.sizes = sizes;
  }

  /** Reads and decodes until the stream ends or a value fails. */
  void start() {
    source.read(READ_SIZE).whenComplete((chunk, e) -> {
      if (e != null || chunk.isEmpty()) {
        sizes.end();
        return;
      }
      pending.writeBytes(chunk.get());
      if (decodeAvailable()) {
        start();
      } else {
        sizes.end();
      }
    });
  }

  /** Decodes the complete values received so far; false once a value failed. */
  private boolean decodeAvailable() {
    GoJsonDecoder decoder = GoJsonDecoder.of(pending.toByteArray());
    for (int i = 0; i < decoded; i++) {
      decoder.next();
    }
    while (decoder.hasNext()) {
      JsonNode value;
      try {
        value = decoder.next();
      } catch (GoError e) {
        // A value cut off by the end of what arrived so far waits for the rest.
        return e.text().equals("unexpected EOF");
      }
      decoded++;
      Optional<TerminalSize> size = terminalSize(value);
      if (size.isEmpty()) {
        return false;
      }
      sizes.offer(size.get());
    }
    pending.reset();
    decoded = 0;
    return true;
  }

  private static Optional<TerminalSize> terminalSize(JsonNode value) {
    if (value.isNull()) {
      return Optional.of(new TerminalSize(0, 0));
    }
    if (!value.isObject()) {
      return Optional.empty();
    }
    int[] wh = {0, 0};
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      OptionalInt field = field(e.getKey());
      JsonNode v = e.getValue();
      if (field.isEmpty() || v.isNull()) {
        continue;
      }
      // uint16: a whole number from 0 to 65535, anything else is an UnmarshalTypeError.
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0 || v.longValue() > 0xffff) {
        return Optional.empty();
      }
      wh[field.getAsInt()] = (int) v.longValue();
    }
    return Optional.of(new TerminalSize(wh[0], wh[1]));
  }

  /** The index of the field {@code key} selects: 0 for Width, 1 for Height; empty for any other key. */
  private static OptionalInt field(String key) {
    boolean ascii = key.chars().allMatch(c -> c < 0x80);
    if (key.equals("Width") || ascii && key.equalsIgnoreCase("width")) {
      return OptionalInt.of(0);
    }
    if (key.equals("Height") || ascii && key.equalsIgnoreCase("height")) {
      return OptionalInt.of(1);
    }
    return OptionalInt.empty();
  }
}
