package io.execsim.cri.ctr;

import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flags of one ctr command, parsed as Go's {@code flag} package parses them for urfave/cli: {@code -x} and
 * {@code --x} alike, {@code --x=v} or {@code --x v} for a value, flags up to the first argument or {@code --}, and
 * Go's texts for what does not parse.
 */
final class CtrFlags {
  /** The kinds of flags ctr has. */
  enum Kind {
    BOOL, STRING, STRINGS, DURATION
  }

  /** A flag: its names (the first is the canonical one) and its kind. */
  record Flag(Kind kind, List<String> names, boolean required) {

    static Flag bool(String... names) {
      return new Flag(Kind.BOOL, List.of(names), false);
    }

    static Flag string(String... names) {
      return new Flag(Kind.STRING, List.of(names), false);
    }

    static Flag required(String... names) {
      return new Flag(Kind.STRING, List.of(names), true);
    }

    static Flag strings(String... names) {
      return new Flag(Kind.STRINGS, List.of(names), false);
    }

    static Flag duration(String... names) {
      return new Flag(Kind.DURATION, List.of(names), false);
    }
  }

  private static final Pattern DURATION_PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|ms|s|m|h)");

  private final Map<String, Object> values = new LinkedHashMap<>();
  private final List<String> args = new ArrayList<>();

  private CtrFlags() {
  }

  /** Parses {@code argv} against {@code flags}; a flag error reads as Go's. */
  static CtrFlags parse(List<String> argv, List<Flag> flags) {
    CtrFlags out = new CtrFlags();
    int i = 0;
    while (i < argv.size()) {
      String a = argv.get(i);
      // flag.Parse: a non-flag argument or "--" ends the flags
      if (a.length() < 2 || a.charAt(0) != '-') {
        break;
      }
      i++;
      if (a.equals("--")) {
        break;
      }
      String name = a.startsWith("--") ? a.substring(2) : a.substring(1);
      if (name.isEmpty() || name.startsWith("-") || name.startsWith("=")) {
        throw GoError.of("bad flag syntax: " + a);
      }
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      Flag f = find(flags, name);
      if (f == null) {
        throw GoError.of("flag provided but not defined: -" + name);
      }
      String key = f.names().get(0);
      if (f.kind() == Kind.BOOL) {
        if (value != null && !value.equals("true") && !value.equals("false")) {
          throw GoError.of("invalid boolean value " + GoText.quote(value) + " for -" + name + ": parse error");
        }
        out.values.put(key, value == null || value.equals("true"));
        continue;
      }
      if (value == null) {
        if (i >= argv.size()) {
          throw GoError.of("flag needs an argument: -" + name);
        }
        value = argv.get(i++);
      }
      switch (f.kind()) {
        case STRINGS -> {
          @SuppressWarnings("unchecked")
          List<String> list = (List<String>) out.values.computeIfAbsent(key, k -> new ArrayList<String>());
          list.add(value);
        }
        case DURATION -> {
          Optional<Duration> d = parseDuration(value);
          if (d.isEmpty()) {
            throw GoError.of("invalid value " + GoText.quote(value) + " for flag -" + name + ": parse error");
          }
          out.values.put(key, d.get());
        }
        default -> out.values.put(key, value);
      }
    }
    out.args.addAll(argv.subList(i, argv.size()));
    for (Flag f : flags) {
      // urfave/cli checks required flags once the flags parsed
      if (f.required() && !out.values.containsKey(f.names().get(0))) {
        throw GoError.of("Required flag " + GoText.quote(f.names().get(0)) + " not set");
      }
    }
    return out;
  }

  private static Flag find(List<Flag> flags, String name) {
    for (Flag f : flags) {
      if (f.names().contains(name)) {
        return f;
      }
    }
    return null;
  }

  boolean bool(String name) {
    return Boolean.TRUE.equals(values.get(name));
  }

  String string(String name) {
    Object v = values.get(name);
    return v == null ? "" : (String) v;
  }

  @SuppressWarnings("unchecked")
  List<String> strings(String name) {
    Object v = values.get(name);
    return v == null ? List.of() : List.copyOf((List<String>) v);
  }

  Duration duration(String name) {
    Object v = values.get(name);
    return v == null ? Duration.ZERO : (Duration) v;
  }

  /** The arguments after the flags. */
  List<String> args() {
    return args;
  }

  /** The {@code n}th argument, or empty, as urfave's {@code Args().Get(n)}. */
  String arg(int n) {
    return n < args.size() ? args.get(n) : "";
  }

  /** Go's {@code time.ParseDuration}: a sequence of decimal numbers with units, e.g. {@code 1m30s}, {@code 0}. */
  static Optional<Duration> parseDuration(String text) {
    String s = text;
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = DURATION_PART.matcher(s);
    long nanos = 0;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at || m.group(1).isEmpty() || m.group(1).equals(".")) {
        return Optional.empty();
      }
      double unit = switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      nanos += Math.round(Double.parseDouble(m.group(1)) * unit);
      at = m.end();
    }
    return Optional.of(Duration.ofNanos(negative ? -nanos : nanos));
  }
}
