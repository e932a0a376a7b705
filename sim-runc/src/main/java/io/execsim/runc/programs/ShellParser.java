package io.execsim.runc.programs;

import io.execsim.runc.programs.ShellSyntax.AndOr;
import io.execsim.runc.programs.ShellSyntax.Assignment;
import io.execsim.runc.programs.ShellSyntax.Command;
import io.execsim.runc.programs.ShellSyntax.Link;
import io.execsim.runc.programs.ShellSyntax.Literal;
import io.execsim.runc.programs.ShellSyntax.Param;
import io.execsim.runc.programs.ShellSyntax.ParamOp;
import io.execsim.runc.programs.ShellSyntax.Part;
import io.execsim.runc.programs.ShellSyntax.Pipeline;
import io.execsim.runc.programs.ShellSyntax.Redirect;
import io.execsim.runc.programs.ShellSyntax.RedirectOp;
import io.execsim.runc.programs.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A tokenizer and recursive-descent parser for the part of ash's grammar that {@link Shell} runs: words with
 * quotes, backslashes and parameter expansions, simple commands with assignments and redirections, pipelines,
 * {@code &&}, {@code ||}, {@code ;} and newlines, and comments. As ash does, it hands out one line of commands at a
 * time, so the commands of a line run before a syntax error on a later line is found.
 *
 * <p>Syntax errors carry ash's texts ({@code unterminated quoted string}, {@code unexpected "|"}, ...). What ash
 * would accept but this parser does not (if, loops, functions, subshells, background jobs, command substitution,
 * here-documents) is rejected as ash rejects an unexpected token.
 */
final class ShellParser {
  /** Words that ash reads as keywords where a command starts; none of them is supported here. */
  private static final Set<String> KEYWORDS = Set.of("case", "do", "done", "elif", "else", "esac", "fi", "for",
      "function", "if", "in", "then", "until", "while", "{", "}");
  private static final String OPERATOR_CHARS = " \t\n;&|()<>";
  private static final String SPECIAL_PARAMS = "?$#@*!-";

  private final String src;
  private int pos;
  private int line = 1;
  private @Nullable Token peeked;

  /** A parser of {@code script}. */
  ShellParser(String script) {
    this.src = script;
  }

  /** A script ash rejects; the message is ash's text after {@code syntax error: }. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    SyntaxError(String message, int line) {
      super(message, null, false, false);
      this.line = line;
    }

    /** The line ash names in the error. */
    int line() {
      return line;
    }
  }

  /** Token kinds, with the names ash's {@code tokname} gives them in errors. */
  private enum Kind {
    EOF("end of file"), NEWLINE("newline"), REDIRECT("redirection"), WORD("word"),
    SEMI(";"), AMP("&"), AND("&&"), OR("||"), PIPE("|"), LPAREN("("), RPAREN(")"), DSEMI(";;");

    private final String text;

    Kind(String text) {
      this.text = text;
    }
  }

  /** A token; words carry their parsed word and, when unquoted plain text, that text. */
  private record Token(Kind kind, int line, Word word, @Nullable String plain, int fd, @Nullable RedirectOp op) {

    static Token of(Kind kind, int line) {
      return new Token(kind, line, new Word(List.of()), null, -1, null);
    }

    /** How ash names this token in {@code unexpected ...}: keywords and operators in quotes, the rest bare. */
    String describe() {
      if (kind == Kind.WORD && plain != null && KEYWORDS.contains(plain)) {
        return "\"" + plain + "\"";
      }
      return kind.ordinal() < Kind.SEMI.ordinal() ? kind.text : "\"" + kind.text + "\"";
    }
  }

  // ---- grammar

  /** The commands of the next line; an empty list for a blank line, empty at the end of the script. */
  Optional<List<AndOr>> nextLine() throws SyntaxError {
    Token t = peek();
    if (t.kind() == Kind.EOF) {
      return Optional.empty();
    }
    List<AndOr> items = new ArrayList<>();
    if (t.kind() == Kind.NEWLINE) {
      next();
      return Optional.of(items);
    }
    while (true) {
      items.add(andOr());
      Token sep = next();
      switch (sep.kind()) {
        case NEWLINE, EOF -> {
          return Optional.of(items);
        }
        case SEMI -> {
          Kind after = peek().kind();
          if (after == Kind.NEWLINE || after == Kind.EOF) {
            next();
            return Optional.of(items);
          }
        }
        default -> throw unexpected(sep);
      }
    }
  }

  private AndOr andOr() throws SyntaxError {
    Pipeline first = pipeline();
    List<Link> rest = new ArrayList<>();
    while (peek().kind() == Kind.AND || peek().kind() == Kind.OR) {
      boolean and = next().kind() == Kind.AND;
      skipNewlines();
      rest.add(new Link(and, pipeline()));
    }
    return new AndOr(first, rest);
  }

  private Pipeline pipeline() throws SyntaxError {
    boolean negated = false;
    if ("!".equals(peek().plain())) {
      next();
      negated = true;
    }
    List<Command> commands = new ArrayList<>();
    commands.add(command());
    while (peek().kind() == Kind.PIPE) {
      next();
      skipNewlines();
      commands.add(command());
    }
    return new Pipeline(negated, commands);
  }

  private Command command() throws SyntaxError {
    int at = peek().line();
    List<Assignment> assignments = new ArrayList<>();
    List<Word> words = new ArrayList<>();
    List<Redirect> redirects = new ArrayList<>();
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.REDIRECT) {
        next();
        Token target = next();
        if (target.kind() != Kind.WORD) {
          throw unexpected(target);
        }
        redirects.add(new Redirect(t.fd(), Objects.requireNonNull(t.op()), target.word()));
      } else if (t.kind() == Kind.WORD) {
        boolean first = words.isEmpty() && assignments.isEmpty();
        // TODO: if, case, loops, { }, ( ), functions and background jobs are not supported: a script using them
        // fails, with status 2, on ash's syntax error for the keyword or operator (unexpected "if", "(", "&")
        if (first && redirects.isEmpty() && t.plain() != null && KEYWORDS.contains(t.plain())) {
          throw unexpected(t);
        }
        next();
        Optional<Assignment> a = words.isEmpty() ? assignment(t.word()) : Optional.empty();
        if (a.isPresent()) {
          assignments.add(a.get());
        } else {
          words.add(t.word());
        }
      } else if (t.kind() == Kind.LPAREN || t.kind() == Kind.RPAREN) {
        throw unexpected(t);
      } else {
        break;
      }
    }
    if (assignments.isEmpty() && words.isEmpty() && redirects.isEmpty()) {
      throw unexpected(peek());
    }
    return new Command(assignments, words, redirects, at);
  }

  /** The word as {@code NAME=value} when it starts with an unquoted valid name and an equals sign. */
  private static Optional<Assignment> assignment(Word w) {
    if (w.parts().isEmpty() || !(w.parts().get(0) instanceof Literal lit) || lit.quoted()) {
      return Optional.empty();
    }
    int eq = lit.text().indexOf('=');
    if (eq <= 0 || !isName(lit.text().substring(0, eq))) {
      return Optional.empty();
    }
    List<Part> value = new ArrayList<>();
    if (eq + 1 < lit.text().length()) {
      value.add(new Literal(lit.text().substring(eq + 1), false));
    }
    value.addAll(w.parts().subList(1, w.parts().size()));
    return Optional.of(new Assignment(lit.text().substring(0, eq), new Word(value)));
  }

  /** Whether {@code s} is a valid variable name. */
  static boolean isName(String s) {
    if (s.isEmpty() || !isNameStart(s.charAt(0))) {
      return false;
    }
    return s.chars().allMatch(c -> isNameStart((char) c) || c >= '0' && c <= '9');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNameStart(char c) {
    return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private void skipNewlines() throws SyntaxError {
    while (peek().kind() == Kind.NEWLINE) {
      next();
    }
  }

  private SyntaxError unexpected(Token t) {
    return new SyntaxError("unexpected " + t.describe(), t.line());
  }

  private SyntaxError error(String message) {
    return new SyntaxError(message, line);
  }

  // ---- tokens

  private Token peek() throws SyntaxError {
    if (peeked == null) {
      peeked = lex();
    }
    return peeked;
  }

  private Token next() throws SyntaxError {
    Token t = peek();
    peeked = null;
    return t;
  }

  private Token lex() throws SyntaxError {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == ' ' || c == '\t') {
        pos++;
      } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
        pos += 2;
        line++;
      } else if (c == '#') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        break;
      }
    }
    if (pos >= src.length()) {
      return Token.of(Kind.EOF, line);
    }
    char c = src.charAt(pos);
    int digitsEnd = pos;
    while (digitsEnd < src.length() && isDigit(src.charAt(digitsEnd)) && digitsEnd - pos < 2) {
      digitsEnd++;
    }
    // an io number: at most two digits right before < or >
    if (digitsEnd > pos && digitsEnd < src.length() && "<>".indexOf(src.charAt(digitsEnd)) >= 0) {
      int fd = Integer.parseInt(src.substring(pos, digitsEnd));
      pos = digitsEnd;
      return redirect(fd);
    }
    switch (c) {
      case '\n' -> {
        pos++;
        return Token.of(Kind.NEWLINE, line++);
      }
      case '<' -> {
        return redirect(0);
      }
      case '>' -> {
        return redirect(1);
      }
      case '&' -> {
        if (at(1, '>')) {
          pos += 2;
          return new Token(Kind.REDIRECT, line, new Word(List.of()), null, 1, RedirectOp.WRITE_BOTH);
        }
        return operator(at(1, '&') ? Kind.AND : Kind.AMP);
      }
      case '|' -> {
        return operator(at(1, '|') ? Kind.OR : Kind.PIPE);
      }
      case ';' -> {
        return operator(at(1, ';') ? Kind.DSEMI : Kind.SEMI);
      }
      case '(' -> {
        return operator(Kind.LPAREN);
      }
      case ')' -> {
        return operator(Kind.RPAREN);
      }
      default -> {
        int start = line;
        WordBuilder w = new WordBuilder(false);
        word(w);
        return new Token(Kind.WORD, start, w.build(), w.plain(), -1, null);
      }
    }
  }

  private boolean at(int offset, char c) {
    return pos + offset < src.length() && src.charAt(pos + offset) == c;
  }

  private Token operator(Kind kind) {
    pos += kind.text.length();
    return Token.of(kind, line);
  }

  private Token redirect(int fd) throws SyntaxError {
    RedirectOp op;
    if (src.charAt(pos) == '<') {
      if (at(1, '<')) {
        // TODO: here-documents are not supported; "<<" fails as an unexpected redirection
        throw new SyntaxError("unexpected redirection", line);
      }
      op = at(1, '&') ? RedirectOp.DUP_IN : RedirectOp.READ;
      pos += op == RedirectOp.READ ? 1 : 2;
    } else if (at(1, '>')) {
      op = RedirectOp.APPEND;
      pos += 2;
    } else if (at(1, '&')) {
      op = RedirectOp.DUP_OUT;
      pos += 2;
    } else {
      op = RedirectOp.WRITE;
      pos += at(1, '|') ? 2 : 1;
    }
    return new Token(Kind.REDIRECT, line, new Word(List.of()), null, fd, op);
  }

  // ---- words

  /** Collects the parts of a word, merging neighbouring text of the same quoting. */
  private static final class WordBuilder {
    private final boolean inQuotes;
    private final List<Part> parts = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private boolean textQuoted;
    private boolean hasText;
    private boolean anyQuoting;

    WordBuilder(boolean inQuotes) {
      this.inQuotes = inQuotes;
    }

    void add(char c, boolean quoted) {
      add(String.valueOf(c), quoted);
    }

    void add(String s, boolean quoted) {
      boolean q = quoted || inQuotes;
      if (hasText && textQuoted != q) {
        flush();
      }
      text.append(s);
      textQuoted = q;
      hasText = true;
      anyQuoting |= q;
    }

    void param(Param p) {
      flush();
      parts.add(p);
      anyQuoting = true;
    }

    private void flush() {
      if (hasText) {
        parts.add(new Literal(text.toString(), textQuoted));
        text.setLength(0);
        hasText = false;
      }
    }

    Word build() {
      flush();
      return new Word(List.copyOf(parts));
    }

    /** The text of a word made of unquoted characters alone, as keywords and {@code !} are recognised. */
    @Nullable String plain() {
      if (anyQuoting || parts.size() != 1 || !(parts.get(0) instanceof Literal lit)) {
        return null;
      }
      return lit.text();
    }
  }

  /** Reads an unquoted word up to a blank or an operator character. */
  private void word(WordBuilder w) throws SyntaxError {
    int start = pos;
    while (pos < src.length() && OPERATOR_CHARS.indexOf(src.charAt(pos)) < 0) {
      char c = src.charAt(pos);
      boolean tildeAlone = pos + 1 == src.length() || (OPERATOR_CHARS + "/").indexOf(src.charAt(pos + 1)) >= 0;
      if (c == '~' && pos == start && tildeAlone) {
        pos++;
        w.param(new Param("HOME", true, ParamOp.VALUE, false, new Word(List.of())));
      } else if (!quoting(w, c)) {
        w.add(c, false);
        pos++;
      }
    }
  }

  /**
   * Handles the quoting and expansion characters that may appear in an unquoted context; returns false, consuming
   * nothing, for an ordinary character.
   */
  private boolean quoting(WordBuilder w, char c) throws SyntaxError {
    switch (c) {
      case '\\' -> {
        if (pos + 1 >= src.length()) {
          w.add('\\', false);
          pos++;
        } else if (src.charAt(pos + 1) == '\n') {
          pos += 2;
          line++;
        } else {
          w.add(src.charAt(pos + 1), true);
          pos += 2;
        }
        return true;
      }
      case '\'' -> {
        int close = src.indexOf('\'', pos + 1);
        if (close < 0) {
          line += (int) src.substring(pos).chars().filter(ch -> ch == '\n').count();
          pos = src.length();
          throw error("unterminated quoted string");
        }
        String s = src.substring(pos + 1, close);
        line += (int) s.chars().filter(ch -> ch == '\n').count();
        w.add(s, true);
        pos = close + 1;
        return true;
      }
      case '"' -> {
        pos++;
        w.add("", true);
        doubleQuoted(w);
        return true;
      }
      case '$' -> {
        dollar(w, false);
        return true;
      }
      case '`' -> {
        // TODO: command substitution is not supported; `...` and $(...) fail as syntax errors
        throw new SyntaxError("unexpected \"`\"", line);
      }
      default -> {
        return false;
      }
    }
  }

  private void doubleQuoted(WordBuilder w) throws SyntaxError {
    while (true) {
      if (pos >= src.length()) {
        throw error("unterminated quoted string");
      }
      char c = src.charAt(pos);
      if (c == '"') {
        pos++;
        return;
      }
      if (c == '\\' && pos + 1 < src.length() && "$`\"\\\n".indexOf(src.charAt(pos + 1)) >= 0) {
        char n = src.charAt(pos + 1);
        if (n == '\n') {
          line++;
        } else {
          w.add(n, true);
        }
        pos += 2;
      } else if (c == '$') {
        dollar(w, true);
      } else if (c == '`') {
        throw new SyntaxError("unexpected \"`\"", line);
      } else {
        if (c == '\n') {
          line++;
        }
        w.add(c, true);
        pos++;
      }
    }
  }

  /** Reads what follows a {@code $}: a parameter, or the dollar sign itself. */
  private void dollar(WordBuilder w, boolean quoted) throws SyntaxError {
    pos++;
    char c = pos < src.length() ? src.charAt(pos) : '\0';
    Word none = new Word(List.of());
    if (c == '{') {
      pos++;
      w.param(braced(quoted));
    } else if (c == '(') {
      if (at(1, '(')) {
        throw error("support for $((arith)) is disabled");
      }
      throw new SyntaxError("unexpected \"(\"", line);
    } else if (isNameStart(c)) {
      int start = pos;
      while (pos < src.length() && (isNameStart(src.charAt(pos)) || isDigit(src.charAt(pos)))) {
        pos++;
      }
      w.param(new Param(src.substring(start, pos), quoted, ParamOp.VALUE, false, none));
    } else if (c >= '0' && c <= '9' || c != '\0' && SPECIAL_PARAMS.indexOf(c) >= 0) {
      pos++;
      w.param(new Param(String.valueOf(c), quoted, ParamOp.VALUE, false, none));
    } else {
      w.add('$', quoted);
    }
  }

  /** Reads {@code ${...}} after its opening brace. */
  private Param braced(boolean quoted) throws SyntaxError {
    Word none = new Word(List.of());
    boolean length = pos + 1 < src.length() && src.charAt(pos) == '#' && src.charAt(pos + 1) != '}';
    if (length) {
      pos++;
    }
    String name = paramName();
    if (pos >= src.length()) {
      throw error("missing '}'");
    }
    if (src.charAt(pos) == '}') {
      pos++;
      return new Param(name, quoted, length ? ParamOp.LENGTH : ParamOp.VALUE, false, none);
    }
    boolean colon = !length && src.charAt(pos) == ':';
    int opAt = colon ? pos + 1 : pos;
    int op = length || opAt >= src.length() ? -1 : "-=+?".indexOf(src.charAt(opAt));
    if (op < 0) {
      // TODO: ${x%pattern}, ${x#pattern}, ${x/a/b} and ${x:offset} are not supported and fail this way
      throw error("bad substitution");
    }
    pos = opAt + 1;
    WordBuilder arg = new WordBuilder(quoted);
    while (true) {
      if (pos >= src.length()) {
        throw error("missing '}'");
      }
      char c = src.charAt(pos);
      if (c == '}') {
        pos++;
        break;
      }
      if (quoted) {
        if (c == '$') {
          dollar(arg, true);
          continue;
        }
        if (c == '"') {
          // "${x:-"a b"}": the inner quotes only open and close quoting that is on anyway
          pos++;
          continue;
        }
        if (c == '\\' && pos + 1 < src.length() && "$`\"\\}".indexOf(src.charAt(pos + 1)) >= 0) {
          arg.add(src.charAt(pos + 1), true);
          pos += 2;
          continue;
        }
      } else if (quoting(arg, c)) {
        continue;
      }
      if (c == '\n') {
        line++;
      }
      arg.add(c, false);
      pos++;
    }
    ParamOp[] ops = {ParamOp.DEFAULT, ParamOp.ASSIGN, ParamOp.ALTERNATE, ParamOp.ERROR};
    return new Param(name, quoted, ops[op], colon, arg.build());
  }

  private String paramName() throws SyntaxError {
    int start = pos;
    if (pos < src.length() && isNameStart(src.charAt(pos))) {
      while (pos < src.length() && (isNameStart(src.charAt(pos)) || isDigit(src.charAt(pos)))) {
        pos++;
      }
    } else if (pos < src.length() && isDigit(src.charAt(pos))) {
      while (pos < src.length() && isDigit(src.charAt(pos))) {
        pos++;
      }
    } else if (pos < src.length() && SPECIAL_PARAMS.indexOf(src.charAt(pos)) >= 0) {
      pos++;
    }
    if (pos == start) {
      throw error(pos >= src.length() ? "missing '}'" : "bad substitution");
    }
    return src.substring(start, pos);
  }
}
