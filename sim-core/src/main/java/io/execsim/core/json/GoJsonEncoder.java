package io.execsim.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON text as Go's {@code encoding/json} writes it: fields in the order given (the order of a Go struct's fields),
 * no spaces in compact form, {@code <}, {@code >} and {@code &} escaped as {@code \u003c}, {@code \u003e} and
 * {@code \u0026}, and {@code MarshalIndent}'s layout with two spaces.
 */
public final class GoJsonEncoder {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoJsonEncoder() {
  }

  /** {@code value} as {@code json.Marshal} writes it. */
  public static String marshal(JsonNode value) {
    StringBuilder b = new StringBuilder();
    write(b, value, null, 0);
    return b.toString();
  }

  /** {@code value} as {@code json.MarshalIndent(v, "", "  ")} writes it. */
  public static String marshalIndent(JsonNode value) {
    StringBuilder b = new StringBuilder();
    write(b, value, "  ", 0);
    return b.toString();
  }

  /** {@code s} as a JSON string the way Go quotes it. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    quote(b, s);
    return b.toString();
  }

  private static void write(StringBuilder b, JsonNode v, @Nullable String indent,
      int depth) {
    if (v.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
      if (!fields.hasNext()) {
        b.append("{}");
        return;
      }
      b.append('{');
      boolean first = true;
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (!first) {
          b.append(',');
        }
        first = false;
        newline(b, indent, depth + 1);
        quote(b, f.getKey());
        b.append(indent == null ? ":" : ": ");
        write(b, f.getValue(), indent, depth + 1);
      }
      newline(b, indent, depth);
      b.append('}');
    } else if (v.isArray()) {
      if (v.isEmpty()) {
        b.append("[]");
        return;
      }
      b.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        newline(b, indent, depth + 1);
        write(b, v.get(i), indent, depth + 1);
      }
      newline(b, indent, depth);
      b.append(']');
    } else if (v.isTextual()) {
      quote(b, v.textValue());
    } else if (v.isNull() || v.isMissingNode()) {
      b.append("null");
    } else {
      b.append(v.asText());
    }
  }

  private static void newline(StringBuilder b, @Nullable String indent, int depth) {
    if (indent != null) {
      b.append('\n');
      b.append(indent.repeat(depth));
    }
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        // json.Marshal escapes these so that the text is safe inside HTML
        case '<', '>', '&', '\u2028', '\u2029' -> unicode(b, c);
        default -> {
          if (c < 0x20) {
            unicode(b, c);
          } else if (Character.isSurrogate(c) && !isPairedSurrogate(s, i)) {
            b.append("\\ufffd");
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private static boolean isPairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  private static void unicode(StringBuilder b, char c) {
    b.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
        .append(HEX[c & 0xf]);
  }
}
