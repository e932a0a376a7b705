package io.execsim.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.execsim.core.error.GoError;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * A stream of JSON values read the way Go's {@code json.NewDecoder(r).Decode(&v)} reads them: values may follow
 * each other with or without white space between them, each value is read whole before it is decoded, and a read
 * that fails fails every later call with the same error. Errors carry Go's texts: {@code EOF} when only white space
 * is left, {@code unexpected EOF} when the input ends inside a value, and the scanner's {@code invalid character}
 * texts for syntax errors.
 *
 * <p>Not thread-safe: one caller reads a decoder from start to end.
 */
public final class GoJsonDecoder {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final byte[] data;
  private final GoScanner scanner = new GoScanner();
  private int pos;
  private @Nullable GoError failure;

  private GoJsonDecoder(byte[] data) {
    this.data = data;
  }

  /** A decoder over a copy of {@code data}. */
  public static GoJsonDecoder of(byte[] data) {
    return new GoJsonDecoder(data.clone());
  }

  /** Whether anything but white space is left: a value, or the bad input that {@link #next()} fails on. */
  public boolean hasNext() {
    for (int i = pos; i < data.length; i++) {
      if (!GoScanner.isSpace(data[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * The next value: objects, arrays, strings, booleans and null as Jackson nodes, integers that fit a {@code long}
   * as {@link LongNode}, other numbers as exact {@link DecimalNode}s.
   *
   * @throws GoError with Go's text when no value is left or the next one is not valid JSON
   */
  public JsonNode next() {
    ValueCursor cursor = nextValue();
    return tree(cursor);
  }

  /** Reads the next value whole, as Go's {@code Decoder.readValue} does, and returns a cursor at its start. */
  ValueCursor nextValue() {
    if (failure != null) {
      throw failure;
    }
    int start = pos;
    int end = readValue();
    pos = end;
    return new ValueCursor(data, start, end);
  }

  private int readValue() {
    scanner.reset();
    for (int i = pos; i < data.length; i++) {
      int op = scanner.step(data[i] & 0xff);
      if (op == GoScanner.END) {
        return i;
      }
      // The byte after a closing bracket is not needed to know that a top-level value ended.
      if (op == GoScanner.END_CONTAINER && scanner.depth() == 0) {
        return i + 1;
      }
      if (op == GoScanner.ERROR) {
        throw fail(scanner.error());
      }
    }
    // At the end of the input a space ends a number, just as it ends one in the middle.
    if (scanner.step(' ') == GoScanner.END) {
      return data.length;
    }
    throw fail(hasNext() ? "unexpected EOF" : "EOF");
  }

  private GoError fail(String text) {
    failure = GoError.of(text);
    return failure;
  }

  private static JsonNode tree(ValueCursor cursor) {
    // Iterative, since Go accepts 10000 levels of nesting and a recursive walk could overflow the stack.
    Deque<JsonNode> open = new ArrayDeque<>();
    Deque<String> keys = new ArrayDeque<>();
    while (true) {
      int c = cursor.peek();
      JsonNode node;
      if (c == '{' || c == '[') {
        cursor.advance();
        open.push(c == '{' ? NODES.objectNode() : NODES.arrayNode());
        if (c == '{' && cursor.peek() == '"') {
          keys.push(key(cursor));
        }
        continue;
      } else if (c == '}' || c == ']') {
        cursor.advance();
        node = open.pop();
      } else if (c == '"') {
        node = TextNode.valueOf(cursor.string());
      } else {
        node = scalar(cursor.literal());
      }
      if (open.isEmpty()) {
        return node;
      }
      JsonNode parent = open.peek();
      if (parent instanceof ObjectNode object) {
        object.set(keys.pop(), node);
      } else {
        ((ArrayNode) parent).add(node);
      }
      if (cursor.peek() == ',') {
        cursor.advance();
        if (parent.isObject()) {
          keys.push(key(cursor));
        }
      }
    }
  }

  private static String key(ValueCursor cursor) {
    String key = cursor.string();
    cursor.peek();
    cursor.advance();
    return key;
  }

  private static JsonNode scalar(String literal) {
    switch (literal) {
      case "true":
        return BooleanNode.TRUE;
      case "false":
        return BooleanNode.FALSE;
      case "null":
        return NullNode.getInstance();
      default:
        break;
    }
    boolean integral = literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0;
    if (integral) {
      try {
        return LongNode.valueOf(Long.parseLong(literal));
      } catch (NumberFormatException tooBig) {
        // falls through to the exact decimal
      }
    }
    return DecimalNode.valueOf(new BigDecimal(literal));
  }
}
