package io.execsim.core.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The query of a URL as Go's {@code url.Values}: each key with its values in order ({@code command=a&command=b}).
 * Parsing follows {@code url.ParseQuery} as {@code URL.Query()} uses it (pairs it cannot decode are dropped);
 * {@link #encode()} follows {@code Values.Encode}: keys sorted, then each value in order.
 */
public final class Query {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final Query EMPTY = new Query(Map.of());

  private final Map<String, List<String>> values;

  private Query(Map<String, List<String>> values) {
    this.values = values;
  }

  /** A query with no keys. */
  public static Query empty() {
    return EMPTY;
  }

  /** Parses a raw query (what follows {@code ?}, without it). */
  public static Query parse(String rawQuery) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&", -1)) {
      // Go 1.17 and later reject semicolons as separators; URL.Query() drops such pairs
      if (pair.isEmpty() || pair.indexOf(';') >= 0) {
        continue;
      }
      int eq = pair.indexOf('=');
      Optional<String> key = unescape(eq < 0 ? pair : pair.substring(0, eq));
      Optional<String> value = unescape(eq < 0 ? "" : pair.substring(eq + 1));
      if (key.isPresent() && value.isPresent()) {
        values.computeIfAbsent(key.get(), k -> new ArrayList<>()).add(value.get());
      }
    }
    return of(values);
  }

  /** The query of a request target such as {@code /path?x=1}; empty when it has none. */
  public static Query ofTarget(String requestTarget) {
    int q = requestTarget.indexOf('?');
    return q < 0 ? EMPTY : parse(requestTarget.substring(q + 1));
  }

  /** A query with copies of {@code values}. */
  public static Query of(Map<String, List<String>> values) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return new Query(Collections.unmodifiableMap(copy));
  }

  /** A builder that adds values in order. */
  public static Builder builder() {
    return new Builder();
  }

  /** All values of {@code key}, in order; empty when the key is absent. */
  public List<String> all(String key) {
    return values.getOrDefault(key, List.of());
  }

  /** The first value of {@code key}, or the empty string, as {@code Values.Get} answers. */
  public String get(String key) {
    List<String> v = values.get(key);
    return v == null || v.isEmpty() ? "" : v.get(0);
  }

  /** Whether {@code key} is present, with any value. */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** The keys with their values. */
  public Map<String, List<String>> asMap() {
    return values;
  }

  /** The query as {@code Values.Encode} writes it: keys sorted, {@code k=v} pairs joined by {@code &}. */
  public String encode() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, List<String>> e : new TreeMap<>(values).entrySet()) {
      String key = escape(e.getKey());
      for (String v : e.getValue()) {
        if (b.length() > 0) {
          b.append('&');
        }
        b.append(key).append('=').append(escape(v));
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return encode();
  }

  /** {@code s} as {@code url.QueryEscape} escapes it: space as {@code +}, all but {@code A-Za-z0-9-_.~} as %XX. */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_.~".indexOf(c) >= 0) {
        b.append((char) c);
      } else if (c == ' ') {
        b.append('+');
      } else {
        b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return b.toString();
  }

  /** {@code s} as {@code url.QueryUnescape} decodes it; empty when it has a bad escape. */
  public static Optional<String> unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%') {
        if (i + 2 >= s.length()) {
          return Optional.empty();
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return Optional.empty();
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          bytes = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.writeBytes(bytes);
      }
    }
    return Optional.of(out.toString(StandardCharsets.UTF_8));
  }

  /** Adds values to a new query; each call to {@link #build()} answers an independent query. */
  public static final class Builder {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Builder() {
    }

    /** Adds {@code value} to the values of {@code key}, as {@code Values.Add} does. */
    public Builder add(String key, String value) {
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      return this;
    }

    /** The query built so far. */
    public Query build() {
      return of(values);
    }
  }
}
