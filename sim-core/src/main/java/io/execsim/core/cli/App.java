package io.execsim.core.cli;

import io.execsim.core.error.GoError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The flags of a urfave/cli v1 app, or of a command that has subcommands: how {@code App.Run} (and
 * {@code App.RunAsSubcommand} for a command group such as {@code ctr tasks}) parses them before it picks the
 * command. The arguments are not reordered; the flags end at the command's name.
 *
 * <p>A flag error prints {@code Incorrect Usage. <error>}, an empty line and the app's help; two forms of one flag
 * print the error and the help. TODO: the app's help (and a group's list of commands) is not rendered, so those
 * print the first line and the empty line only, and {@code -h} prints nothing.
 *
 * @param flags the app's own flags; urfave adds {@link Flag#HELP}, and to a top-level app {@link Flag#VERSION}
 * @param isSubcommand whether this is a command group run as a sub-app: no version flag, and an empty line after
 *     the error of two forms of one flag
 */
public record App(List<Flag> flags, boolean isSubcommand) {

  /** Copies the flags. */
  public App {
    flags = List.copyOf(flags);
  }

  /** A top-level app with {@code flags}. */
  public static App of(List<Flag> flags) {
    return new App(flags, false);
  }

  /** A command group, whose only flag is urfave's help. */
  public static App group() {
    return new App(List.of(), true);
  }

  /**
   * Parses the app's flags from the front of {@code argv}. The line's arguments start with the command's name.
   * With {@code -h} (before any command) the help is shown; {@code -v} is left to the caller, which prints its
   * version when {@code line.bool("version")}.
   */
  public ParseResult parse(List<String> argv, Map<String, String> env) {
    List<Flag> all = new ArrayList<>(flags);
    all.add(Flag.HELP);
    if (!isSubcommand) {
      all.add(Flag.VERSION);
    }
    CommandLine.Attempt a = CommandLine.attempt(all, argv, env);
    // normalizeFlags runs on what was parsed even when the parse failed, and its error is told first
    try {
      a.line().checkForms();
    } catch (GoError e) {
      return new ParseResult.Failed(e.text() + (isSubcommand ? "\n\n" : "\n"), e);
    }
    if (a.error() != null) {
      return new ParseResult.Failed("Incorrect Usage. " + a.error().text() + "\n\n", a.error());
    }
    if (a.line().bool("help")) {
      return new ParseResult.HelpShown("");
    }
    return new ParseResult.Parsed(a.line());
  }
}
