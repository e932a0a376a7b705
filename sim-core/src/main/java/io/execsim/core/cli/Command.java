package io.execsim.core.cli;

import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A urfave/cli v1 command without subcommands ({@code cli.Command}): its help fields and flags, how
 * {@code Command.Run} parses a command line for it, and its help as {@code CommandHelpTemplate} renders it.
 *
 * <p>Build one with {@link #builder}; the help name is the whole command as help shows it ({@code runc exec},
 * {@code ctr tasks exec}: the app's name, then each parent's canonical name), and the name is its last word.
 *
 * @param name the command's name
 * @param helpName the full name help shows
 * @param usage the one-line description ({@code Usage})
 * @param usageText a usage line that replaces the generated one ({@code UsageText}), or empty
 * @param argsUsage the arguments' description after the flags ({@code ArgsUsage}), or empty
 * @param description the longer description ({@code Description}), or empty
 * @param category the category ({@code Category}), or empty
 * @param flags the command's own flags, in help's order; urfave adds {@link Flag#HELP} when it parses
 * @param skipArgReorder whether flags after the first argument stay arguments ({@code SkipArgReorder}); without it
 *     urfave moves every word that starts with {@code -} (and the word after it) before the arguments
 */
public record Command(String name, String helpName, String usage, String usageText, String argsUsage,
    String description, String category, List<Flag> flags, boolean skipArgReorder) {

  /** Copies the flags and checks that the names agree. */
  public Command {
    flags = List.copyOf(flags);
    if (!helpName.equals(name) && !helpName.endsWith(" " + name)) {
      throw new IllegalArgumentException("the help name must end with the name " + name + ": " + helpName);
    }
  }

  /** A builder for the command whose full name in help is {@code helpName}, e.g. {@code ctr tasks exec}. */
  public static Builder builder(String helpName) {
    return new Builder(helpName);
  }

  /** Builds a {@link Command}; each field starts empty. */
  public static final class Builder {
    private final String helpName;
    private String usage = "";
    private String usageText = "";
    private String argsUsage = "";
    private String description = "";
    private String category = "";
    private List<Flag> flags = List.of();
    private boolean skipArgReorder;

    private Builder(String helpName) {
      this.helpName = helpName;
    }

    /** {@code Usage}. */
    public Builder usage(String text) {
      this.usage = text;
      return this;
    }

    /** {@code UsageText}. */
    public Builder usageText(String text) {
      this.usageText = text;
      return this;
    }

    /** {@code ArgsUsage}. */
    public Builder argsUsage(String text) {
      this.argsUsage = text;
      return this;
    }

    /** {@code Description}. */
    public Builder description(String text) {
      this.description = text;
      return this;
    }

    /** {@code Category}. */
    public Builder category(String text) {
      this.category = text;
      return this;
    }

    /** {@code Flags}, in the order of the Go source. */
    public Builder flags(List<Flag> list) {
      this.flags = List.copyOf(list);
      return this;
    }

    /** {@code SkipArgReorder: true}. */
    public Builder skipArgReorder() {
      this.skipArgReorder = true;
      return this;
    }

    /** The command. */
    public Command build() {
      String name = helpName.substring(helpName.lastIndexOf(' ') + 1);
      return new Command(name, helpName, usage, usageText, argsUsage, description, category, flags,
          skipArgReorder);
    }
  }

  /**
   * {@code Command.Run} up to the action: the arguments reordered unless the command skips that, its flags and
   * {@code --help} parsed, then the required flags checked. A flag error prints {@code Incorrect Usage: <error>},
   * an empty line and the help; {@code -h} prints the help; a missing required flag prints the help and fails with
   * {@code Required flag "x" not set}.
   */
  public ParseResult parse(List<String> argv, Map<String, String> env) {
    List<Flag> all = new ArrayList<>(flags);
    all.add(Flag.HELP);
    CommandLine line;
    try {
      line = CommandLine.parse(all, skipArgReorder ? argv : reorder(argv), env);
    } catch (GoError e) {
      return new ParseResult.Failed("Incorrect Usage: " + e.text() + "\n\n" + help(), e);
    }
    if (line.bool("help")) {
      return new ParseResult.HelpShown(help());
    }
    List<String> missing = new ArrayList<>();
    for (Flag f : flags) {
      if (!f.required()) {
        continue;
      }
      // checkRequiredFlags names the flag by its last name longer than one byte, untrimmed
      String shown = "";
      boolean present = false;
      for (String key : f.name().split(",", -1)) {
        if (key.length() > 1) {
          shown = key;
        }
        present |= line.isSet(key.strip());
      }
      if (!present && !shown.isEmpty()) {
        missing.add(shown);
      }
    }
    if (!missing.isEmpty()) {
      String text = missing.size() == 1 ? "Required flag " + GoText.quote(missing.get(0)) + " not set"
          : "Required flags " + GoText.quote(String.join(", ", missing)) + " not set";
      return new ParseResult.Failed(help(), GoError.of(text));
    }
    return new ParseResult.Parsed(line);
  }

  /**
   * urfave's {@code reorderArgs}: every word that starts with {@code -} goes before the others, with the word after
   * it when it has no {@code =} and that word does not start with {@code -}; {@code --} and all after it stay last.
   */
  static List<String> reorder(List<String> argv) {
    List<String> flagWords = new ArrayList<>();
    List<String> others = new ArrayList<>();
    boolean readValue = false;
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (a.equals("--")) {
        others.addAll(argv.subList(i, argv.size()));
        break;
      }
      if (readValue && !a.startsWith("-")) {
        readValue = false;
        flagWords.add(a);
        continue;
      }
      readValue = false;
      if (!a.equals("-") && a.startsWith("-")) {
        flagWords.add(a);
        readValue = !a.contains("=");
      } else {
        others.add(a);
      }
    }
    flagWords.addAll(others);
    return flagWords;
  }

  /** The command's help: urfave's {@code CommandHelpTemplate} through the help printer's tab writer. */
  public String help() {
    StringBuilder b = new StringBuilder("NAME:\n   ").append(helpName).append(" - ").append(usage)
        .append("\n\nUSAGE:\n   ");
    if (!usageText.isEmpty()) {
      b.append(usageText);
    } else {
      b.append(helpName).append(flags.isEmpty() ? "" : " [command options]").append(' ')
          .append(argsUsage.isEmpty() ? "[arguments...]" : argsUsage);
    }
    if (!category.isEmpty()) {
      b.append("\n\nCATEGORY:\n   ").append(category);
    }
    if (!description.isEmpty()) {
      b.append("\n\nDESCRIPTION:\n   ").append(description);
    }
    if (!flags.isEmpty()) {
      b.append("\n\nOPTIONS:\n   ");
      for (Flag f : flags) {
        b.append(f.help()).append("\n   ");
      }
    }
    return TabWriter.format(b.append('\n').toString());
  }
}
