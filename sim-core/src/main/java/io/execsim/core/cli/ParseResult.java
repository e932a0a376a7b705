package io.execsim.core.cli;

import io.execsim.core.error.GoError;

/**
 * What urfave/cli does with a command line before the command's action runs: the action runs with the parsed
 * line, or urfave prints help and stops, or it prints something and fails.
 */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.HelpShown, ParseResult.Failed {

  /**
   * The line parsed; the action runs with it.
   *
   * @param line the flags and arguments
   */
  record Parsed(CommandLine line) implements ParseResult {
  }

  /**
   * {@code -h} or {@code --help} was given: urfave prints {@code output} on the app's writer (stdout) and the
   * program ends with status 0.
   *
   * @param output what is printed
   */
  record HelpShown(String output) implements ParseResult {
  }

  /**
   * The line was refused: urfave prints {@code output} on stdout, then returns {@code error} to the program, which
   * prints and exits as it does with any error ({@code ctr: <error>}, runc's logrus line).
   *
   * @param output what is printed on stdout first
   * @param error the error the program reports
   */
  record Failed(String output, GoError error) implements ParseResult {
  }
}
