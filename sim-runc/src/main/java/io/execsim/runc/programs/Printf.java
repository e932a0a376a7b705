package io.execsim.runc.programs;

import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * {@code printf FORMAT [ARG]...} as busybox has it: the conversions {@code d i o u x X c s b f e E g G} with flags,
 * width and precision ({@code *} included), {@code %%}, backslash escapes, and the format used again while
 * arguments remain. A bad number is reported ({@code invalid number 'x'}), printed as 0 and makes the exit code
 * 1; a bad directive stops everything ({@code %y: invalid format}).
 */
final class Printf implements Program {
  static final String NAME = "printf";
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    List<String> argv = ctx.args().subList(1, ctx.args().size());
    if (!argv.isEmpty() && argv.get(0).equals("--")) {
      argv = argv.subList(1, argv.size());
    }
    if (argv.isEmpty()) {
      return Libbb.usage(ctx, NAME, "FORMAT [ARG]...\n\nFormat and print ARG(s) according to FORMAT (a-la C printf)");
    }
    Job job = new Job(argv.subList(1, argv.size()).stream().map(Libbb::raw).toList());
    int code = job.all(Libbb.raw(argv.get(0)));
    CompletionStage<Void> reported = ctx.printErr(String.join("", job.errors));
    return reported.thenCompose(v -> Libbb.exitAfter(ctx, NAME, ctx.stdout().write(Libbb.bytes(job.out)), code));
  }

  /** One run's output, errors and place in the arguments. */
  private static final class Job {
    private final List<String> args;
    private final List<String> errors = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();
    private int next;
    private boolean badNumber;

    Job(List<String> args) {
      this.args = args;
    }

    /** Applies the format while it takes arguments and some remain; returns the exit code. */
    int all(String format) {
      Outcome outcome;
      do {
        int before = next;
        outcome = once(format);
        if (outcome != Outcome.DONE || next == before) {
          break;
        }
      } while (next < args.size());
      return outcome == Outcome.INVALID || badNumber ? 1 : 0;
    }

    private enum Outcome { DONE, STOP, INVALID }

    /** One pass over the format. */
    private Outcome once(String f) {
      int i = 0;
      while (i < f.length()) {
        char c = f.charAt(i);
        if (c == '\\') {
          if (i + 1 < f.length() && f.charAt(i + 1) == 'c') {
            return Outcome.STOP;
          }
          Escapes.Decoded d = Escapes.decode(f, i + 1);
          out.append(d.value());
          i = d.end();
        } else if (c != '%') {
          out.append(c);
          i++;
        } else {
          int end = directive(f, i);
          if (end < 0) {
            return end == -1 ? Outcome.STOP : Outcome.INVALID;
          }
          i = end;
        }
      }
      return Outcome.DONE;
    }

    /** Prints the directive at {@code start}; returns where the format goes on, -1 to stop, -2 when invalid. */
    private int directive(String f, int start) {
      int i = start + 1;
      if (i < f.length() && f.charAt(i) == '%') {
        out.append('%');
        return i + 1;
      }
      if (i < f.length() && f.charAt(i) == 'b') {
        if (next < args.size() && !Escapes.appendDecoded(out, args.get(next++))) {
          return -1;
        }
        return i + 1;
      }
      StringBuilder flags = new StringBuilder();
      while (i < f.length() && "-+ #0".indexOf(f.charAt(i)) >= 0) {
        flags.append(f.charAt(i++));
      }
      int width = -1;
      if (i < f.length() && f.charAt(i) == '*') {
        i++;
        width = next < args.size() ? star(args.get(next++)) : 0;
        if (width < 0) {
          flags.append('-');
          width = -width;
        }
      } else {
        int from = i;
        while (i < f.length() && Character.isDigit(f.charAt(i))) {
          i++;
        }
        width = i > from ? Integer.parseInt(f.substring(from, i)) : -1;
      }
      int precision = -1;
      if (i < f.length() && f.charAt(i) == '.') {
        i++;
        if (i < f.length() && f.charAt(i) == '*') {
          i++;
          precision = next < args.size() ? star(args.get(next++)) : 0;
        } else {
          int from = i;
          while (i < f.length() && Character.isDigit(f.charAt(i))) {
            i++;
          }
          precision = i > from ? Integer.parseInt(f.substring(from, i)) : 0;
        }
      }
      // busybox drops the size modifiers l, L, h and z, however many
      while (i < f.length() && "lLhz".indexOf(f.charAt(i)) >= 0) {
        i++;
      }
      if (i >= f.length() || "diouxXfeEgGcs".indexOf(f.charAt(i)) < 0) {
        errors.add(NAME + ": " + f.substring(start) + ": invalid format\n");
        return -2;
      }
      char conv = f.charAt(i);
      String arg = next < args.size() ? args.get(next++) : "";
      out.append(convert(conv, flags.toString(), width, precision < 0 ? -1 : precision, arg));
      return i + 1;
    }

    private String convert(char conv, String flags, int width, int precision, String arg) {
      switch (conv) {
        case 's' -> {
          return pad(precision >= 0 && precision < arg.length() ? arg.substring(0, precision) : arg, flags, width);
        }
        case 'c' -> {
          return pad(arg.isEmpty() ? "\0" : arg.substring(0, 1), flags, width);
        }
        case 'f', 'e', 'E', 'g', 'G' -> {
          return floating(conv, flags, width, precision, arg.stripLeading());
        }
        default -> {
          BigInteger v = integer(arg.stripLeading(), conv == 'd' || conv == 'i');
          return integral(conv, flags, width, precision, v);
        }
      }
    }

    /** A {@code *} width or precision, as {@code bb_strtoi} reads it. */
    private int star(String arg) {
      BigInteger v = cInteger(arg);
      if (v == null || v.bitLength() > 31) {
        errors.add(NAME + ": invalid number '" + arg + "'\n");
        return 0;
      }
      return v.intValue();
    }

    /** An integer argument: a C constant, or {@code 'c} for a character's code; 0 after an error. */
    private BigInteger integer(String arg, boolean signed) {
      String text = arg;
      if (!arg.isEmpty() && (arg.charAt(0) == '\'' || arg.charAt(0) == '"')) {
        text = arg.length() > 1 ? Integer.toString(arg.charAt(1)) : "0";
      }
      BigInteger v = cInteger(text.startsWith("+") ? text.substring(1) : text);
      boolean fits = v != null && (signed
          ? v.bitLength() < 64
          : v.signum() >= 0 ? v.bitLength() <= 64 : v.bitLength() < 64);
      if (!fits) {
        errors.add(NAME + ": invalid number '" + text + "'\n");
        badNumber = true;
        return BigInteger.ZERO;
      }
      return v;
    }

    /**
     * {@code text} as {@code strtoll} with base 0 reads it, when the whole of it is a number (busybox's
     * {@code bb_strtoll} rejects anything after the digits); null otherwise.
     */
    private static @Nullable BigInteger cInteger(String text) {
      boolean negative = text.startsWith("-");
      String body = negative ? text.substring(1) : text;
      if (body.isEmpty() || !Character.isLetterOrDigit(body.charAt(0)) || body.charAt(0) > 0x7f) {
        return null;
      }
      int radix = 10;
      if (body.length() > 2 && (body.startsWith("0x") || body.startsWith("0X"))
          && Character.digit(body.charAt(2), 16) >= 0) {
        radix = 16;
        body = body.substring(2);
      } else if (body.length() > 1 && body.charAt(0) == '0') {
        radix = 8;
      }
      for (int k = 0; k < body.length(); k++) {
        if (Character.digit(body.charAt(k), radix) < 0 || body.charAt(k) > 0x7f) {
          return null;
        }
      }
      BigInteger v = new BigInteger(body, radix);
      return negative ? v.negate() : v;
    }

    private static String integral(char conv, String flags, int width, int precision, BigInteger value) {
      boolean signed = conv == 'd' || conv == 'i';
      BigInteger bits = !signed && value.signum() < 0 ? value.add(TWO_TO_64) : value;
      String digits = switch (conv) {
        case 'o' -> bits.toString(8);
        case 'x' -> bits.toString(16);
        case 'X' -> bits.toString(16).toUpperCase(Locale.ROOT);
        default -> bits.abs().toString();
      };
      if (precision == 0 && value.signum() == 0) {
        digits = "";
      }
      if (precision > digits.length()) {
        digits = "0".repeat(precision - digits.length()) + digits;
      }
      String prefix = "";
      if (signed) {
        prefix = value.signum() < 0 ? "-" : flags.indexOf('+') >= 0 ? "+" : flags.indexOf(' ') >= 0 ? " " : "";
      } else if (flags.indexOf('#') >= 0) {
        if (conv == 'o' && !digits.startsWith("0")) {
          digits = "0" + digits;
        } else if ((conv == 'x' || conv == 'X') && value.signum() != 0) {
          prefix = conv == 'x' ? "0x" : "0X";
        }
      }
      boolean zeros = flags.indexOf('0') >= 0 && flags.indexOf('-') < 0 && precision < 0;
      if (zeros && prefix.length() + digits.length() < width) {
        digits = "0".repeat(width - prefix.length() - digits.length()) + digits;
      }
      return pad(prefix + digits, flags, width);
    }

    private String floating(char conv, String flags, int width, int precision, String arg) {
      double v = 0;
      if (arg.matches("(?i)[-+]?inf(inity)?")) {
        v = arg.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      } else if (arg.matches("(?i)[-+]?nan")) {
        v = Double.NaN;
      } else if (arg.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
        v = Double.parseDouble(arg);
      } else if (!arg.isEmpty()) {
        // strtod reads an empty argument as 0 without complaint, anything else it cannot read fully is an error
        errors.add(NAME + ": invalid number '" + arg + "'\n");
        badNumber = true;
      }
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        String word = Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        return pad(Character.isUpperCase(conv) ? word.toUpperCase(Locale.ROOT) : word, flags.replace("0", ""), width);
      }
      // Java refuses some flag pairs that C merely ranks: '-' beats '0', '+' beats ' '
      String f = flags.indexOf('-') >= 0 ? flags.replace("0", "") : flags;
      f = f.indexOf('+') >= 0 ? f.replace(" ", "") : f;
      f = f.chars().distinct().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
          .toString();
      // TODO: %g and %G are Java's, which keep trailing zeros and switch to exponents at other magnitudes than C's
      String spec = "%" + f + (width > 0 ? width : "") + "." + (precision < 0 ? 6 : precision) + conv;
      return String.format(Locale.ROOT, spec, v);
    }

    private static String pad(String s, String flags, int width) {
      if (width <= s.length()) {
        return s;
      }
      String fill = " ".repeat(width - s.length());
      return flags.indexOf('-') >= 0 ? s + fill : fill + s;
    }
  }
}
