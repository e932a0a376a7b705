package io.execsim.runc.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Short options as glibc's {@code getopt} reads them for busybox's {@code getopt32}: clusters ({@code -la}),
 * attached or separate arguments ({@code -n3}, {@code -n 3}), {@code --} to end them, a lone {@code -} as an
 * operand.
 */
final class Getopt {

  private Getopt() {
  }

  /** One option given, with its argument or an empty string. */
  record Option(char letter, String argument) {
  }

  /** The options in the order given, and the operands. */
  record Parsed(List<Option> options, List<String> operands) {

    /** Whether {@code letter} was given. */
    boolean has(char letter) {
      return options.stream().anyMatch(o -> o.letter() == letter);
    }

    /** The argument of the last {@code letter} given. */
    Optional<String> last(char letter) {
      String found = null;
      for (Option o : options) {
        if (o.letter() == letter) {
          found = o.argument();
        }
      }
      return Optional.ofNullable(found);
    }
  }

  /** A command line getopt rejects; the message is glibc's, without the program name. */
  static final class InvalidOption extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidOption(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses {@code args} (without the program name). {@code spec} lists the letters, each followed by {@code :}
   * when it takes an argument. With {@code permute}, options may follow operands (GNU getopt's default); without,
   * the first operand ends the options ({@code "+"} in a getopt32 spec).
   */
  static Parsed parse(List<String> args, String spec, boolean permute) throws InvalidOption {
    List<Option> options = new ArrayList<>();
    List<String> operands = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        operands.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (!a.startsWith("-") || a.equals("-")) {
        if (!permute) {
          operands.addAll(args.subList(i, args.size()));
          break;
        }
        operands.add(a);
        continue;
      }
      for (int j = 1; j < a.length(); j++) {
        char c = a.charAt(j);
        int at = spec.indexOf(c);
        if (at < 0 || c == ':') {
          throw new InvalidOption("invalid option -- '" + c + "'");
        }
        if (at + 1 < spec.length() && spec.charAt(at + 1) == ':') {
          String value;
          if (j + 1 < a.length()) {
            value = a.substring(j + 1);
          } else if (i + 1 < args.size()) {
            value = args.get(++i);
          } else {
            throw new InvalidOption("option requires an argument -- '" + c + "'");
          }
          options.add(new Option(c, value));
          break;
        }
        options.add(new Option(c, ""));
      }
    }
    return new Parsed(options, operands);
  }
}
