package io.execsim.core.json;

import io.execsim.core.error.GoError;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Go's {@code decodeState} for the types of {@link GoType}: decodes one syntactically valid value into an existing
 * Go value the way {@code json.Unmarshal} does. A value of the wrong JSON kind leaves its target as it was, is
 * recorded, and decoding goes on; the first such error is thrown at the end. {@code time.Time} errors stop decoding
 * at once, as errors of {@code UnmarshalJSON} do in Go.
 */
final class GoUnmarshal {
  private final ValueCursor cursor;
  private final List<String> fieldStack = new ArrayList<>();
  private GoType.@Nullable Struct struct;
  private @Nullable String savedError;

  private GoUnmarshal(ValueCursor cursor) {
    this.cursor = cursor;
  }

  /** Decodes the value at {@code cursor} into {@code into}, a value of {@code type}, and returns the result. */
  static @Nullable Object unmarshal(ValueCursor cursor, GoType type, @Nullable Object into) {
    GoUnmarshal d = new GoUnmarshal(cursor);
    @Nullable Object result = d.value(type, into);
    if (d.savedError != null) {
      throw GoError.of(d.savedError);
    }
    return result;
  }

  /** The zero value of {@code type}: false, "", 0, Go's zero time, nil, or a struct of zero fields. */
  static @Nullable Object zero(GoType type) {
    if (type instanceof GoType.Struct s) {
      return s.fields().stream().map(f -> zero(f.type())).toArray();
    }
    if (type instanceof GoType.Kind kind) {
      return switch (kind) {
        case BOOL -> Boolean.FALSE;
        case STRING -> "";
        case TIME -> GoTime.ZERO;
        default -> 0L;
      };
    }
    return null;
  }

  private @Nullable Object value(GoType type, @Nullable Object current) {
    int c = cursor.peek();
    if (type == GoType.Kind.TIME) {
      byte[] raw = cursor.raw();
      return c == 'n' ? current : GoTime.parseJson(raw);
    }
    if (c == 'n') {
      cursor.literal();
      // null empties a slice or a pointer and leaves any other value as it was.
      return type instanceof GoType.Slice || type instanceof GoType.Pointer ? null : current;
    }
    if (type instanceof GoType.Pointer p) {
      return value(p.elem(), current != null ? current : zero(p.elem()));
    }
    switch (c) {
      case '{':
        return object(type, current);
      case '[':
        return array(type, current);
      case '"':
        String s = cursor.string();
        return type == GoType.Kind.STRING ? s : mismatch("string", type, current);
      case 't', 'f':
        boolean b = cursor.literal().equals("true");
        return type == GoType.Kind.BOOL ? (Object) b : mismatch("bool", type, current);
      default:
        return number(cursor.literal(), type, current);
    }
  }

  private @Nullable Object object(GoType type, @Nullable Object current) {
    if (!(type instanceof GoType.Struct s) || current == null) {
      cursor.skip();
      return mismatch("object", type, current);
    }
    Object[] fields = (Object[]) current;
    cursor.advance();
    while (cursor.peek() != '}') {
      String key = cursor.string();
      cursor.peek();
      cursor.advance();
      int i = s.indexOf(key);
      if (i < 0) {
        cursor.skip();
      } else {
        GoType.Struct outer = struct;
        int depth = fieldStack.size();
        struct = s;
        fieldStack.add(s.fields().get(i).name());
        fields[i] = value(s.fields().get(i).type(), fields[i]);
        fieldStack.subList(depth, fieldStack.size()).clear();
        struct = outer;
      }
      if (cursor.peek() == ',') {
        cursor.advance();
      }
    }
    cursor.advance();
    return fields;
  }

  private @Nullable Object array(GoType type, @Nullable Object current) {
    if (!(type instanceof GoType.Slice slice)) {
      cursor.skip();
      return mismatch("array", type, current);
    }
    List<?> old = current == null ? List.of() : (List<?>) current;
    List<@Nullable Object> elements = new ArrayList<>();
    cursor.advance();
    while (cursor.peek() != ']') {
      // Go decodes into the elements the slice already has and appends zero ones after them.
      int i = elements.size();
      elements.add(value(slice.elem(), i < old.size() ? old.get(i) : zero(slice.elem())));
      if (cursor.peek() == ',') {
        cursor.advance();
      }
    }
    cursor.advance();
    return elements;
  }

  private @Nullable Object number(String literal, GoType type, @Nullable Object current) {
    if (!(type instanceof GoType.Kind kind) || kind == GoType.Kind.BOOL || kind == GoType.Kind.STRING) {
      return mismatch("number", type, current);
    }
    try {
      long n = kind == GoType.Kind.INT ? Long.parseLong(literal) : Long.parseUnsignedLong(literal);
      if (kind != GoType.Kind.UINT32 || Long.compareUnsigned(n, 0xffff_ffffL) <= 0) {
        return n;
      }
    } catch (NumberFormatException notAnInteger) {
      // reported below, with the literal, as strconv.ParseInt and ParseUint failures are
    }
    return mismatch("number " + literal, type, current);
  }

  /** Records the first {@code UnmarshalTypeError}, worded with the struct and field path being decoded. */
  private @Nullable Object mismatch(String what, GoType type, @Nullable Object current) {
    if (savedError == null) {
      String target = struct == null ? "Go value of type "
          : "Go struct field " + struct.name() + "." + String.join(".", fieldStack) + " of type ";
      savedError = "json: cannot unmarshal " + what + " into " + target + type.text();
    }
    return current;
  }
}
