package io.execsim.core.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.execsim.core.error.GoError;
import io.execsim.core.json.GoJsonDecoder;
import io.execsim.core.process.TerminalSize;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resize channel read as the servers read it: one Go {@code json.Decoder} over the bytes of every resize
 * message, decoding {@code TerminalSize{Width, Height uint16}} values until the first error. Values may span
 * messages; keys match case-insensitively; {@code null} decodes to a zero size. Not thread-safe.
 */
final class ResizeDecoder {
  private static final int MAX_DIMENSION = 0xffff;

  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private int decodedFromPending;
  private Optional<GoError> failure = Optional.empty();

  /** The sizes completed by {@code bytes}; after a failure, none. */
  List<TerminalSize> feed(byte[] bytes) {
    List<TerminalSize> sizes = new ArrayList<>();
    if (failure.isPresent()) {
      return sizes;
    }
    pending.writeBytes(bytes);
    // The decoder is over the pending bytes; values decoded by an earlier call are skipped, not sent again.
    GoJsonDecoder decoder = GoJsonDecoder.of(pending.toByteArray());
    int index = 0;
    while (decoder.hasNext()) {
      JsonNode node;
      try {
        node = decoder.next();
      } catch (GoError e) {
        if (e.text().equals("unexpected EOF")) {
          decodedFromPending = index;
          return sizes;
        }
        failure = Optional.of(e);
        return sizes;
      }
      if (index++ < decodedFromPending) {
        continue;
      }
      Optional<TerminalSize> size = size(node);
      if (size.isEmpty()) {
        return sizes;
      }
      sizes.add(size.get());
    }
    pending.reset();
    decodedFromPending = 0;
    return sizes;
  }

  /** The error that ended decoding, if one did. */
  Optional<GoError> failure() {
    return failure;
  }

  private Optional<TerminalSize> size(JsonNode node) {
    if (node.isNull()) {
      return Optional.of(new TerminalSize(0, 0));
    }
    if (!node.isObject()) {
      return fail("json: cannot unmarshal " + goKind(node) + " into Go value of type remotecommand.TerminalSize");
    }
    int width = 0;
    int height = 0;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey();
      boolean isWidth = key.equalsIgnoreCase("Width");
      if (!isWidth && !key.equalsIgnoreCase("Height")) {
        continue;
      }
      JsonNode value = field.getValue();
      if (value.isNull()) {
        continue;
      }
      // uint16: an integer literal in range, nothing else
      if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0
          || value.asLong() > MAX_DIMENSION) {
        String field0 = isWidth ? "Width" : "Height";
        return fail("json: cannot unmarshal " + goKind(value) + " into Go struct field TerminalSize." + field0
            + " of type uint16");
      }
      if (isWidth) {
        width = (int) value.asLong();
      } else {
        height = (int) value.asLong();
      }
    }
    return Optional.of(new TerminalSize(width, height));
  }

  private Optional<TerminalSize> fail(String text) {
    failure = Optional.of(GoError.of(text));
    return Optional.empty();
  }

  private static String goKind(JsonNode node) {
    if (node.isNumber()) {
      return "number " + node.asText();
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isBoolean()) {
      return "bool";
    }
    if (node.isArray()) {
      return "array";
    }
    return "object";
  }
}
