package io.execsim.core.cli;

import io.execsim.core.error.GoText;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One flag of a urfave/cli v1 command, as its Go declaration gives it: the kind, the name with its aliases as one
 * comma-separated string ({@code "env, e"}; the first is the canonical name), the usage text, the default value, an
 * environment variable that overrides the default, and whether the flag is required.
 *
 * <p>The default's type follows the kind: {@link Boolean} for {@link FlagKind#BOOL}, {@link String},
 * {@code List<String>} for string slices, {@link Long} for the integer kinds (an unsigned one as its bits),
 * {@link Double}, {@code List<Long>} for integer slices and {@link Duration}.
 *
 * @param kind the flag's type
 * @param name the names, comma-separated, as in the Go source
 * @param usage the usage text; a part in back quotes names the value's placeholder in help
 * @param value the default value
 * @param envVar the environment variable whose value replaces the default, or empty; honoured for the string,
 *     string slice and bool kinds only
 * @param required whether a command fails without it
 */
public record Flag(FlagKind kind, String name, String usage, Object value, String envVar, boolean required) {
  /** urfave's {@code HelpFlag}, which every command and app has besides its own. */
  public static final Flag HELP = bool("help, h", "show help");
  /** urfave's {@code VersionFlag}, which an app has besides its own. */
  public static final Flag VERSION = bool("version, v", "print the version");

  /** Checks that the default fits the kind, and copies a list default. */
  public Flag {
    Objects.requireNonNull(kind, "kind");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a flag needs a name: " + GoText.quote(name));
    }
    value = checked(kind, value);
    if (!envVar.isEmpty() && kind != FlagKind.STRING && kind != FlagKind.STRING_SLICE && kind != FlagKind.BOOL) {
      throw new IllegalArgumentException("an environment variable is honoured for string and bool flags only: "
          + name);
    }
  }

  private static Object checked(FlagKind kind, Object value) {
    Class<?> type = switch (kind) {
      case BOOL -> Boolean.class;
      case STRING -> String.class;
      case INT, INT64, UINT64 -> Long.class;
      case FLOAT64 -> Double.class;
      case DURATION -> Duration.class;
      case STRING_SLICE, INT_SLICE, INT64_SLICE -> List.class;
    };
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException("the default of a " + kind + " flag is a " + type.getSimpleName() + ": "
          + value);
    }
    if (value instanceof List<?> list) {
      Class<?> element = kind == FlagKind.STRING_SLICE ? String.class : Long.class;
      for (Object o : list) {
        if (!element.isInstance(o)) {
          throw new IllegalArgumentException("the default of a " + kind + " flag holds " + element.getSimpleName()
              + "s: " + list);
        }
      }
      return List.copyOf(list);
    }
    return value;
  }

  /** A {@code BoolFlag}. */
  public static Flag bool(String name, String usage) {
    return new Flag(FlagKind.BOOL, name, usage, false, "", false);
  }

  /** A {@code StringFlag} without a default. */
  public static Flag string(String name, String usage) {
    return new Flag(FlagKind.STRING, name, usage, "", "", false);
  }

  /** A {@code StringSliceFlag} without a default. */
  public static Flag stringSlice(String name, String usage) {
    return new Flag(FlagKind.STRING_SLICE, name, usage, List.of(), "", false);
  }

  /** An {@code IntFlag} with default 0. */
  public static Flag integer(String name, String usage) {
    return new Flag(FlagKind.INT, name, usage, 0L, "", false);
  }

  /** An {@code Int64Flag} with default 0. */
  public static Flag int64(String name, String usage) {
    return new Flag(FlagKind.INT64, name, usage, 0L, "", false);
  }

  /** A {@code Uint64Flag} with default 0. */
  public static Flag uint64(String name, String usage) {
    return new Flag(FlagKind.UINT64, name, usage, 0L, "", false);
  }

  /** A {@code Float64Flag} with default 0. */
  public static Flag float64(String name, String usage) {
    return new Flag(FlagKind.FLOAT64, name, usage, 0.0, "", false);
  }

  /** An {@code IntSliceFlag} without a default. */
  public static Flag intSlice(String name, String usage) {
    return new Flag(FlagKind.INT_SLICE, name, usage, List.of(), "", false);
  }

  /** An {@code Int64SliceFlag} without a default. */
  public static Flag int64Slice(String name, String usage) {
    return new Flag(FlagKind.INT64_SLICE, name, usage, List.of(), "", false);
  }

  /** A {@code DurationFlag} with default 0. */
  public static Flag duration(String name, String usage) {
    return new Flag(FlagKind.DURATION, name, usage, Duration.ZERO, "", false);
  }

  /** This flag with another default ({@code Value} in Go). */
  public Flag withValue(Object newValue) {
    return new Flag(kind, name, usage, newValue, envVar, required);
  }

  /** This flag with its default taken from the environment variable {@code var} when it is set ({@code EnvVar}). */
  public Flag withEnvVar(String var) {
    return new Flag(kind, name, usage, value, var, required);
  }

  /** This flag, required ({@code Required: true}). */
  public Flag asRequired() {
    return new Flag(kind, name, usage, value, envVar, true);
  }

  /** The names, the canonical one first, as urfave's {@code eachName} splits and trims them. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    for (String n : name.split(",", -1)) {
      out.add(n.strip());
    }
    return out;
  }

  /**
   * The flag's line in help, as urfave's {@code stringifyFlag} writes it: the prefixed names, each with the
   * placeholder if the flag takes a value, a tab, then the usage with the default and the environment variable.
   */
  public String help() {
    String[] unquoted = unquoteUsage(usage);
    String placeholder = unquoted[0];
    String text = unquoted[1];
    String shownDefault = shownDefault();
    if (kind.takesValue() && placeholder.isEmpty()) {
      placeholder = "value";
    }
    String line = prefixedNames(placeholder) + "\t" + (text + shownDefault).strip();
    if (!envVar.isEmpty()) {
      line += " [$" + String.join(", $", envVar.split(",", -1)) + "]";
    }
    return line;
  }

  /** The {@code (default: ...)} part, with its leading space, or empty. */
  private String shownDefault() {
    String shown = switch (kind) {
      case BOOL -> "";
      case STRING -> ((String) value).isEmpty() ? "" : GoText.quote((String) value);
      case INT, INT64 -> Long.toString((Long) value);
      case UINT64 -> Long.toUnsignedString((Long) value);
      case FLOAT64 -> goFloat((Double) value);
      case DURATION -> GoText.duration((Duration) value);
      case STRING_SLICE -> String.join(", ", ((List<?>) value).stream().map(String.class::cast)
          .filter(s -> !s.isEmpty()).map(GoText::quote).toList());
      case INT_SLICE, INT64_SLICE -> String.join(", ", ((List<?>) value).stream().map(String::valueOf).toList());
    };
    return shown.isEmpty() ? "" : " (default: " + shown + ")";
  }

  private String prefixedNames(String placeholder) {
    StringBuilder b = new StringBuilder();
    List<String> names = names();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      b.append(n.length() == 1 ? "-" : "--").append(n);
      if (!placeholder.isEmpty()) {
        b.append(' ').append(placeholder);
      }
      if (i < names.size() - 1) {
        b.append(", ");
      }
    }
    return b.toString();
  }

  /** urfave's {@code unquoteUsage}: the first back-quoted part is the placeholder, and loses its quotes. */
  private static String[] unquoteUsage(String usage) {
    int open = usage.indexOf('`');
    if (open >= 0) {
      int close = usage.indexOf('`', open + 1);
      if (close >= 0) {
        String name = usage.substring(open + 1, close);
        return new String[] {name, usage.substring(0, open) + name + usage.substring(close + 1)};
      }
    }
    return new String[] {"", usage};
  }

  /** A float as Go's {@code %v} prints it: the shortest digits, with an exponent below 1e-4 and from 1e6 up. */
  static String goFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0" : "0";
    }
    BigDecimal v = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = v.unscaledValue().toString();
    int exp = digits.length() - v.scale() - 1;
    String sign = d < 0 ? "-" : "";
    if (exp < -4 || exp >= 6) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String e = Integer.toString(Math.abs(exp));
      return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }
    return sign + v.toPlainString();
  }
}
