package io.execsim.runc.programs;

import java.util.List;

/** The syntax tree of the shell language {@link Shell} understands: the parser builds it, the interpreter walks it. */
final class ShellSyntax {

  private ShellSyntax() {
  }

  /** Pipelines joined by {@code &&} and {@code ||}, run left to right. */
  record AndOr(Pipeline first, List<Link> rest) {
  }

  /** {@code && pipeline} ({@code and}) or {@code || pipeline}. */
  record Link(boolean and, Pipeline pipeline) {
  }

  /** Commands joined by {@code |}; {@code negated} after a leading {@code !}. */
  record Pipeline(boolean negated, List<Command> commands) {
  }

  /** A simple command: assignments, words and redirections, and the line it starts on. */
  record Command(List<Assignment> assignments, List<Word> words, List<Redirect> redirects, int line) {
  }

  /** {@code NAME=value}. */
  record Assignment(String name, Word value) {
  }

  /** A redirection of descriptor {@code fd}. */
  record Redirect(int fd, RedirectOp op, Word target) {
  }

  /** The redirection operators. */
  enum RedirectOp {
    /** {@code <}. */
    READ,
    /** {@code >} and {@code >|}. */
    WRITE,
    /** {@code >>}. */
    APPEND,
    /** {@code >&}. */
    DUP_OUT,
    /** {@code <&}. */
    DUP_IN,
    /** {@code &>}, bash's stdout and stderr to one file, which ash takes too. */
    WRITE_BOTH
  }

  /** A word before expansion: literal text and parameter expansions. */
  record Word(List<Part> parts) {
  }

  /** A piece of a word. */
  sealed interface Part permits Literal, Param {
  }

  /** Text as written, after quote removal; {@code quoted} when it stood in quotes or after a backslash. */
  record Literal(String text, boolean quoted) implements Part {
  }

  /**
   * A parameter expansion such as {@code $1}, {@code "$@"} or {@code ${NAME:-word}}: its name, whether it stood in
   * double quotes, what to do with it, whether a null value counts as unset (the colon forms), and the word after
   * the operator (empty for none).
   */
  record Param(String name, boolean quoted, ParamOp op, boolean nullIsUnset, Word argument) implements Part {
  }

  /** The forms of parameter expansion. */
  enum ParamOp {
    /** {@code $x}, {@code ${x}}. */
    VALUE,
    /** {@code ${#x}}. */
    LENGTH,
    /** {@code ${x-word}}. */
    DEFAULT,
    /** {@code ${x=word}}. */
    ASSIGN,
    /** {@code ${x+word}}. */
    ALTERNATE,
    /** {@code ${x?word}}. */
    ERROR
  }
}
