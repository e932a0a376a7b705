package io.execsim.core.cli;

import io.execsim.core.error.GoDuration;
import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The flags and arguments of one command line, parsed as Go's {@code flag} package parses them for urfave/cli:
 * {@code -x} and {@code --x} alike; {@code --x=v} or {@code --x v} for a value; a bool flag alone or as
 * {@code --x=false}; the flags end at the first argument that is not one, or after {@code --}; the names of one flag
 * share its value (urfave's {@code normalizeFlags}), and two of them on one line are refused. Errors read as Go's:
 * {@code flag provided but not defined: -x}, {@code flag needs an argument: -x}, {@code invalid value "v" for flag
 * -x: parse error}.
 *
 * <p>Reading a flag by a name no flag has, or as another kind than it is, is a programming error.
 */
public final class CommandLine {
  private static final Pattern FLOAT = Pattern.compile("[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
      + "|(?i:inf|infinity|nan))");

  private final Map<String, Flag> byName = new HashMap<>();
  private final Map<Flag, Object> values = new HashMap<>();
  private final Set<Flag> fromEnv = new LinkedHashSet<>();
  private final Set<String> visited = new LinkedHashSet<>();
  private final List<Flag> flags;
  private final List<String> args = new ArrayList<>();

  private CommandLine(List<Flag> flags) {
    this.flags = List.copyOf(flags);
    for (Flag f : this.flags) {
      for (String n : f.names()) {
        if (byName.put(n, f) != null) {
          throw new IllegalArgumentException("flag redefined: " + n);
        }
      }
      values.put(f, f.kind().isSlice() ? new ArrayList<>((List<?>) f.value()) : f.value());
    }
  }

  /**
   * Parses {@code argv} against {@code flags}, taking defaults from {@code env} for flags that name a variable.
   *
   * @throws GoError the flag package's error, or urfave's {@code Cannot use two forms of the same flag: t tty}
   */
  public static CommandLine parse(List<Flag> flags, List<String> argv, Map<String, String> env) {
    Attempt a = attempt(flags, argv, env);
    if (a.error() != null) {
      throw a.error();
    }
    a.line().checkForms();
    return a.line();
  }

  /** A parse that went as far as it could: the line so far, and the flag package's error if it stopped on one. */
  record Attempt(CommandLine line, @Nullable GoError error) {
  }

  /** {@code flag.FlagSet.Parse}, after urfave applied each flag's environment variable. */
  static Attempt attempt(List<Flag> flags, List<String> argv, Map<String, String> env) {
    CommandLine line = new CommandLine(flags);
    try {
      line.applyEnv(env);
      line.args.addAll(argv.subList(line.parseFlags(argv), argv.size()));
      return new Attempt(line, null);
    } catch (GoError e) {
      return new Attempt(line, e);
    }
  }

  private void applyEnv(Map<String, String> env) {
    for (Flag f : flags) {
      String found = null;
      for (String var : f.envVar().isEmpty() ? new String[0] : f.envVar().split(",", -1)) {
        if (env.containsKey(var.strip())) {
          found = env.get(var.strip());
          break;
        }
      }
      if (found == null) {
        continue;
      }
      fromEnv.add(f);
      switch (f.kind()) {
        case STRING -> values.put(f, found);
        case STRING_SLICE -> {
          List<Object> list = new ArrayList<>();
          for (String part : found.split(",", -1)) {
            list.add(part.strip());
          }
          values.put(f, list);
        }
        default -> {
          try {
            values.put(f, !found.isEmpty() && Strconv.parseBool(found));
          } catch (Strconv.NumError e) {
            throw GoError.of("could not parse " + found + " as bool value for flag " + f.name() + ": " + e.text());
          }
        }
      }
    }
  }

  /** Parses the flags at the front of {@code argv}; returns the index of the first argument. */
  private int parseFlags(List<String> argv) {
    int i = 0;
    while (i < argv.size()) {
      String s = argv.get(i);
      // a lone "-" or a word is the first argument
      if (s.length() < 2 || s.charAt(0) != '-') {
        return i;
      }
      int minuses = s.charAt(1) == '-' ? 2 : 1;
      if (minuses == 2 && s.length() == 2) {
        return i + 1;
      }
      String name = s.substring(minuses);
      if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
        throw GoError.of("bad flag syntax: " + s);
      }
      i++;
      String value = null;
      int eq = name.indexOf('=', 1);
      if (eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      Flag f = byName.get(name);
      if (f == null) {
        if (name.equals("help") || name.equals("h")) {
          throw GoError.of("flag: help requested");
        }
        throw GoError.of("flag provided but not defined: -" + name);
      }
      if (f.kind() == FlagKind.BOOL) {
        try {
          values.put(f, value == null || Strconv.parseBool(value));
        } catch (Strconv.NumError e) {
          throw GoError.of("invalid boolean value " + GoText.quote(value) + " for -" + name + ": parse error");
        }
      } else {
        if (value == null) {
          if (i >= argv.size()) {
            throw GoError.of("flag needs an argument: -" + name);
          }
          value = argv.get(i++);
        }
        set(f, name, value);
      }
      visited.add(name);
    }
    return i;
  }

  @SuppressWarnings("unchecked")
  private void set(Flag f, String name, String value) {
    Object v;
    try {
      v = switch (f.kind()) {
        case STRING -> value;
        case INT, INT64 -> flagNumber(() -> Strconv.parseInt(value, 0, 64));
        case UINT64 -> flagNumber(() -> Strconv.parseUint(value, 0, 64));
        case FLOAT64 -> parseFloat(value);
        case DURATION -> parseDuration(value);
        case STRING_SLICE -> value;
        // urfave's own slice types return strconv's error as it is
        case INT_SLICE -> Strconv.atoi(value);
        case INT64_SLICE -> Strconv.parseInt(value, 10, 64);
        case BOOL -> throw new IllegalStateException("a bool flag takes no value: " + name);
      };
    } catch (GoError e) {
      throw GoError.of("invalid value " + GoText.quote(value) + " for flag -" + name + ": " + e.text());
    }
    if (f.kind().isSlice()) {
      ((List<Object>) values.get(f)).add(v);
    } else {
      values.put(f, v);
    }
  }

  /** The flag package's {@code numError}: strconv's syntax and range errors become two short texts. */
  private static long flagNumber(java.util.function.LongSupplier parse) {
    try {
      return parse.getAsLong();
    } catch (Strconv.NumError e) {
      throw GoError.of(e.isRange() ? "value out of range" : "parse error");
    }
  }

  /** {@code time.ParseDuration}, whose errors the flag package reports as a parse error. */
  private static Duration parseDuration(String value) {
    try {
      return GoDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw GoError.of("parse error");
    }
  }

  /** Simplified: {@code strconv.ParseFloat} of decimal forms and inf/nan; hex floats and underscores are refused. */
  private static double parseFloat(String s) {
    if (!FLOAT.matcher(s).matches()) {
      throw GoError.of("parse error");
    }
    String t = s.toLowerCase(java.util.Locale.ROOT);
    boolean negative = t.startsWith("-");
    String body = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
    if (body.startsWith("inf")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (body.equals("nan")) {
      return Double.NaN;
    }
    double d = Double.parseDouble(t);
    if (Double.isInfinite(d)) {
      throw GoError.of("value out of range");
    }
    return d;
  }

  /** urfave's {@code normalizeFlags}: a flag given under two of its names is refused. */
  void checkForms() {
    for (Flag f : flags) {
      List<String> names = f.names();
      if (names.size() < 2) {
        continue;
      }
      String first = null;
      for (String n : names) {
        if (visited.contains(n)) {
          if (first != null) {
            throw GoError.of("Cannot use two forms of the same flag: " + n + " " + first);
          }
          first = n;
        }
      }
    }
  }

  private Flag flag(String name, Set<FlagKind> kinds) {
    Flag f = byName.get(name);
    if (f == null) {
      throw new IllegalArgumentException("no flag is named " + name + " here");
    }
    if (!kinds.contains(f.kind())) {
      throw new IllegalArgumentException("flag " + name + " is a " + f.kind() + " flag, not one of " + kinds);
    }
    return f;
  }

  /** The value of a bool flag. */
  public boolean bool(String name) {
    return (Boolean) values.get(flag(name, EnumSet.of(FlagKind.BOOL)));
  }

  /** The value of a string flag: the last one given, else its default. */
  public String string(String name) {
    return (String) values.get(flag(name, EnumSet.of(FlagKind.STRING)));
  }

  /** The values of a string slice flag: its default, then each one given, in order. */
  @SuppressWarnings("unchecked")
  public List<String> strings(String name) {
    return List.copyOf((List<String>) values.get(flag(name, EnumSet.of(FlagKind.STRING_SLICE))));
  }

  /** The value of an integer flag; an unsigned one's bits. */
  public long integer(String name) {
    return (Long) values.get(flag(name, EnumSet.of(FlagKind.INT, FlagKind.INT64, FlagKind.UINT64)));
  }

  /** The value of a float flag. */
  public double float64(String name) {
    return (Double) values.get(flag(name, EnumSet.of(FlagKind.FLOAT64)));
  }

  /** The values of an integer slice flag: its default, then each one given, in order. */
  @SuppressWarnings("unchecked")
  public List<Long> integers(String name) {
    return List.copyOf((List<Long>) values.get(flag(name, EnumSet.of(FlagKind.INT_SLICE, FlagKind.INT64_SLICE))));
  }

  /** The value of a duration flag. */
  public Duration duration(String name) {
    return (Duration) values.get(flag(name, EnumSet.of(FlagKind.DURATION)));
  }

  /**
   * urfave's {@code Context.IsSet}: whether the flag was given under {@code name}, or under another of its names
   * (not for the slice kinds, whose other names urfave does not mark), or has its environment variable set.
   */
  public boolean isSet(String name) {
    Flag f = flag(name, EnumSet.allOf(FlagKind.class));
    if (visited.contains(name) || fromEnv.contains(f)) {
      return true;
    }
    return !f.kind().isSlice() && f.names().stream().anyMatch(visited::contains);
  }

  /** The arguments after the flags. */
  public List<String> args() {
    return List.copyOf(args);
  }

  /** The {@code n}th argument, or empty, as urfave's {@code Args().Get(n)}. */
  public String arg(int n) {
    return n < args.size() ? args.get(n) : "";
  }
}
