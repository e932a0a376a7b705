package io.execsim.core.json;

import java.util.List;
import java.util.stream.Collectors;

/** A Go type that {@link GoUnmarshal} decodes into, named as Go's {@code reflect.Type.String()} prints it. */
sealed interface GoType permits GoType.Kind, GoType.Slice, GoType.Pointer, GoType.Struct {

  /** The type's name in Go's error texts, such as {@code []string} or {@code specs.Process}. */
  String text();

  /** The scalar types, and {@code time.Time}, which decodes itself through its {@code UnmarshalJSON}. */
  enum Kind implements GoType {
    BOOL("bool"), STRING("string"), INT("int"), UINT("uint"), UINT32("uint32"), UINT64("uint64"), TIME("time.Time");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    @Override
    public String text() {
      return text;
    }
  }

  /** A slice; nil decodes to and from {@code null}. */
  record Slice(GoType elem) implements GoType {
    @Override
    public String text() {
      return "[]" + elem.text();
    }
  }

  /** A pointer; nil is {@code null}, otherwise the value pointed at. */
  record Pointer(GoType elem) implements GoType {
    @Override
    public String text() {
      return "*" + elem.text();
    }
  }

  /** A struct; {@code pkg} and {@code name} are empty for an anonymous one. Its values are {@code Object[]}. */
  record Struct(String pkg, String name, List<Field> fields) implements GoType {

    /** A named struct of package {@code pkg}, or an anonymous one when both names are empty. */
    static Struct of(String pkg, String name, Field... fields) {
      return new Struct(pkg, name, List.of(fields));
    }

    @Override
    public String text() {
      if (!name.isEmpty()) {
        return pkg + "." + name;
      }
      return fields.stream().map(f -> f.name() + " " + f.type().text())
          .collect(Collectors.joining("; ", "struct { ", " }"));
    }

    /** The index of the field {@code key} selects: the exact name first, then the first that folds equal. */
    int indexOf(String key) {
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).name().equals(key)) {
          return i;
        }
      }
      for (int i = 0; i < fields.size(); i++) {
        if (foldEquals(fields.get(i).name(), key)) {
          return i;
        }
      }
      return -1;
    }

    // fold.go: ASCII letters match either case, and the long s and the Kelvin sign match s and k.
    private static boolean foldEquals(String name, String key) {
      if (name.length() != key.length()) {
        return false;
      }
      for (int i = 0; i < name.length(); i++) {
        char n = Character.toLowerCase(name.charAt(i));
        char k = key.charAt(i);
        boolean ascii = k < 0x80 && Character.toLowerCase(k) == n;
        if (!ascii && !(k == '\u017f' && n == 's') && !(k == '\u212a' && n == 'k')) {
          return false;
        }
      }
      return true;
    }
  }

  /** A struct field under its JSON name. */
  record Field(String name, GoType type) {
  }
}
