package io.execsim.runc.programs;

import io.execsim.core.error.GoError;
import io.execsim.core.fs.FileInfo;
import io.execsim.core.fs.FileSystemView;
import io.execsim.core.fs.Paths;
import io.execsim.core.process.Credentials;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * {@code test EXPRESSION} and {@code [ EXPRESSION ]} (busybox 1.35 coreutils/test.c): exit 0 when the expression
 * holds, 1 when it does not, 2 after an error such as {@code test: a: bad number} or {@code [: missing ]}.
 *
 * <p>The expression: {@code !}, {@code -a}, {@code -o} and parentheses; strings ({@code = == != < > -z -n}, a lone
 * word is true when not empty); integers ({@code -eq -ne -lt -le -gt -ge}, 64-bit, blanks around them allowed);
 * files ({@code -e -f -d -c -b -p -S -h -L -r -w -x -s -u -g -k -O -G}, {@code -nt -ot -ef}) and {@code -t FD}.
 * Up to four arguments are read by their count as POSIX fixes it, so {@code test ! = x} compares {@code !} with
 * {@code x}; longer ones by busybox's grammar, which evaluates both sides of {@code -a} and {@code -o}.
 *
 * <p>ash runs the same code as its built-in {@code test} and {@code [}; it calls {@link #evaluate} and prefixes the
 * error with {@code sh: } where this program prints its own name.
 *
 * <p>Simplified: the node's files keep no owners, no times, no inode numbers and no links. Every file is taken as
 * root's, group root (as {@code ls -l} shows them), so {@code -O}, {@code -G}, {@code -r}, {@code -w} and
 * {@code -x} judge the ids against uid 0 and gid 0; every file has the same modification time, so {@code -nt} and
 * {@code -ot} are false; {@code -ef} compares where two names lead; {@code -h} and {@code -L} are always false.
 * {@code /dev/null} is a character device whether or not the container has it, as for the other programs here.
 */
final class TestApplet implements Program {
  static final String NAME = "test";
  static final String BRACKET_NAME = "[";

  private static final int TRUE = 0;
  private static final int FALSE = 1;
  private static final int ERROR = 2;

  /** The owner and group every file is taken to have; the node keeps none. */
  private static final long OWNER_UID = 0;
  private static final long OWNER_GID = 0;

  /** What {@code stat} reports as a directory's size on ext4 and overlayfs; the node's directories have none. */
  private static final long DIRECTORY_SIZE = 4096;

  private static final int READ = 4;
  private static final int WRITE = 2;
  private static final int EXECUTE = 1;

  private final String name;
  private final boolean bracket;

  /** The applet under {@code name}: {@link #NAME}, or {@link #BRACKET_NAME}, which wants a closing {@code ]}. */
  TestApplet(String name) {
    if (!name.equals(NAME) && !name.equals(BRACKET_NAME)) {
      throw new IllegalArgumentException("test applet name must be test or [: " + name);
    }
    this.name = name;
    this.bracket = name.equals(BRACKET_NAME);
  }

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    Result r = evaluate(ctx.args().subList(1, ctx.args().size()), bracket, Caller.of(ctx, ctx.cwd()));
    if (r.error().isEmpty()) {
      return CompletableFuture.completedFuture(r.status());
    }
    return Libbb.error(ctx, name, r.error().get()).thenApply(v -> r.status());
  }

  /**
   * What an evaluation gave.
   *
   * @param status the exit status: 0 when the expression holds, 1 when it does not, 2 after an error
   * @param error with status 2, the message to print after the caller's prefix ({@code test: }, {@code [: } or
   *     ash's {@code sh: }), e.g. {@code a: bad number}
   */
  record Result(int status, Optional<String> error) {
  }

  /**
   * The process that evaluates, as far as test looks at it.
   *
   * @param files the container's file system
   * @param cwd the absolute directory relative names start from
   * @param credentials the ids {@code -r}, {@code -w}, {@code -x}, {@code -O} and {@code -G} are judged for
   * @param isTerminal whether a file descriptor is open on a terminal, for {@code -t}
   */
  record Caller(FileSystemView files, String cwd, Credentials credentials, IntPredicate isTerminal) {

    /**
     * A process's own: its files and ids, with relative names starting from {@code cwd} (a shell's after its
     * {@code cd}s); with a terminal, descriptors 0 to 2 are on it.
     * TODO: a program cannot tell which of its streams the terminal is, so one whose output a shell redirected
     * still counts it as the terminal.
     */
    static Caller of(ProcessContext ctx, String cwd) {
      boolean terminal = ctx.terminalSize().isPresent();
      return new Caller(ctx.files(), cwd, ctx.credentials(), fd -> terminal && fd >= 0 && fd <= 2);
    }
  }

  /**
   * Evaluates {@code args}, the arguments after the command name; with {@code bracket}, as {@code [} does, the last
   * of them must be {@code ]}. Nothing is printed: an error comes back in the result.
   */
  static Result evaluate(List<String> args, boolean bracket, Caller caller) {
    List<String> words = args;
    if (bracket) {
      // "[" drops its last argument, which must close it
      if (args.isEmpty() || !args.get(args.size() - 1).equals("]")) {
        return new Result(ERROR, Optional.of("missing ]"));
      }
      words = args.subList(0, args.size() - 1);
    }
    try {
      return new Result(new Evaluation(words, caller).status(), Optional.empty());
    } catch (SyntaxError e) {
      return new Result(ERROR, Optional.of(e.getMessage()));
    }
  }

  /** The forms of operator, which decide how the words around them are read. */
  private enum Form {
    UNARY,
    BINARY,
    OTHER
  }

  /** test's operators, by their texts. */
  private enum Op {
    READABLE(Form.UNARY, "-r"),
    WRITABLE(Form.UNARY, "-w"),
    EXECUTABLE(Form.UNARY, "-x"),
    EXISTS(Form.UNARY, "-e"),
    REGULAR(Form.UNARY, "-f"),
    DIRECTORY(Form.UNARY, "-d"),
    CHAR_DEVICE(Form.UNARY, "-c"),
    BLOCK_DEVICE(Form.UNARY, "-b"),
    FIFO(Form.UNARY, "-p"),
    SOCKET(Form.UNARY, "-S"),
    SYMLINK(Form.UNARY, "-h", "-L"),
    SETUID(Form.UNARY, "-u"),
    SETGID(Form.UNARY, "-g"),
    STICKY(Form.UNARY, "-k"),
    NOT_EMPTY_FILE(Form.UNARY, "-s"),
    OWNED(Form.UNARY, "-O"),
    GROUP_OWNED(Form.UNARY, "-G"),
    TERMINAL(Form.UNARY, "-t"),
    EMPTY(Form.UNARY, "-z"),
    NOT_EMPTY(Form.UNARY, "-n"),
    SAME(Form.BINARY, "=", "=="),
    DIFFERENT(Form.BINARY, "!="),
    BEFORE(Form.BINARY, "<"),
    AFTER(Form.BINARY, ">"),
    EQ(Form.BINARY, "-eq"),
    NE(Form.BINARY, "-ne"),
    LT(Form.BINARY, "-lt"),
    LE(Form.BINARY, "-le"),
    GT(Form.BINARY, "-gt"),
    GE(Form.BINARY, "-ge"),
    NEWER(Form.BINARY, "-nt"),
    OLDER(Form.BINARY, "-ot"),
    SAME_FILE(Form.BINARY, "-ef"),
    NOT(Form.OTHER, "!"),
    AND(Form.OTHER, "-a"),
    OR(Form.OTHER, "-o"),
    OPEN(Form.OTHER, "("),
    CLOSE(Form.OTHER, ")");

    private static final Map<String, Op> BY_TEXT = new HashMap<>();

    static {
      for (Op op : values()) {
        for (String text : op.texts) {
          BY_TEXT.put(text, op);
        }
      }
    }

    private final Form form;
    private final String[] texts;

    Op(Form form, String... texts) {
      this.form = form;
      this.texts = texts;
    }

    /** The operator {@code word} spells; null for no word or a plain one. */
    static @Nullable Op of(@Nullable String word) {
      return word == null ? null : BY_TEXT.get(word);
    }

    static boolean isBinary(@Nullable String word) {
      Op op = of(word);
      return op != null && op.form == Form.BINARY;
    }
  }

  /** The kinds of file {@code stat} tells apart here. */
  private enum Kind {
    REGULAR,
    DIRECTORY,
    FIFO,
    SOCKET,
    CHAR_DEVICE
  }

  /** What {@code stat} found: the clean path that names it in the container, its kind, mode bits and size. */
  private record Node(String path, Kind kind, int mode, long size) {
  }

  /** An error that ends the evaluation with status 2. */
  private static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message, null, false, false);
    }

    /** The error about {@code word}: {@code word: what}, or {@code what} alone when the word is empty or none. */
    static SyntaxError about(@Nullable String word, String what) {
      return new SyntaxError(word == null || word.isEmpty() ? what : word + ": " + what);
    }
  }

  /**
   * One evaluation: the words, with a null after the last as in C's argv, and the position of the word being read.
   * Each step leaves {@code pos} on the last word it used.
   */
  private static final class Evaluation {
    private final @Nullable String[] words;
    private final Caller caller;
    private int pos;

    Evaluation(List<String> args, Caller caller) {
      this.words = args.toArray(new String[args.size() + 1]);
      this.caller = caller;
    }

    int status() {
      // POSIX reads up to four arguments by their count; busybox takes off leading "!"s to get there
      int start = 0;
      int end = words.length - 1;
      boolean negated = false;
      while (true) {
        int count = end - start;
        if (count == 0) {
          return status(false, negated);
        }
        if (count == 1) {
          return status(!word(start).isEmpty(), negated);
        }
        if (count == 3 && Op.isBinary(words[start + 1])) {
          pos = start;
          return status(binary(), negated);
        }
        if (count == 4 && word(start).equals("(") && word(start + 3).equals(")")) {
          // busybox cuts off the ")": the two words inside are read by their count only after a "!", and the
          // whole parse below then misses the ")"
          words[start + 3] = null;
          end = start + 3;
          start++;
        }
        if (!word(start).equals("!")) {
          break;
        }
        start++;
        negated = !negated;
      }
      // else the whole expression is parsed from its first word, any "!" taken off above included
      pos = 0;
      boolean holds = or();
      if (words[pos] != null && at(pos + 1) != null) {
        // reported as is, even for an empty word
        throw new SyntaxError(at(pos + 1) + ": unknown operand");
      }
      return holds ? TRUE : FALSE;
    }

    private static int status(boolean holds, boolean negated) {
      return holds != negated ? TRUE : FALSE;
    }

    /** The word at {@code i}, known to be there. */
    private String word(int i) {
      String w = words[i];
      if (w == null) {
        throw new IllegalStateException("no word at " + i);
      }
      return w;
    }

    /** The word at {@code i}, or null past the last one. */
    private @Nullable String at(int i) {
      return i < words.length ? words[i] : null;
    }

    private boolean or() {
      boolean left = and();
      if (Op.of(at(pos + 1)) != Op.OR) {
        return left;
      }
      pos += 2;
      // the right side is evaluated even when the left holds, and its errors show
      boolean right = or();
      return right || left;
    }

    private boolean and() {
      boolean left = not();
      if (Op.of(at(pos + 1)) != Op.AND) {
        return left;
      }
      pos += 2;
      boolean right = and();
      return right && left;
    }

    private boolean not() {
      if (Op.of(at(pos)) != Op.NOT) {
        return primary();
      }
      // a "!" with nothing after it holds: [ ! ] and [ a -a ! ]
      if (at(pos + 1) == null) {
        return true;
      }
      pos++;
      return !not();
    }

    private boolean primary() {
      String first = at(pos);
      if (first == null) {
        throw SyntaxError.about(null, "argument expected");
      }
      Op op = Op.of(first);
      if (op == Op.OPEN) {
        pos++;
        boolean inner = or();
        pos++;
        if (Op.of(at(pos)) != Op.CLOSE) {
          throw SyntaxError.about(null, "closing paren expected");
        }
        return inner;
      }
      // as in coreutils, a binary operator next with a word after it comes before a unary reading
      if (at(pos + 1) != null && at(pos + 2) != null && Op.isBinary(at(pos + 1))) {
        return binary();
      }
      if (op != null && op.form == Form.UNARY) {
        // a unary operator with no operand is a plain word
        String operand = at(pos + 1);
        if (operand == null) {
          return true;
        }
        pos++;
        return unary(op, operand);
      }
      if (Op.isBinary(at(pos + 1))) {
        // fails: nothing follows the operator
        return binary();
      }
      return !first.isEmpty();
    }

    private boolean binary() {
      String left = word(pos);
      String opText = word(pos + 1);
      Op op = Op.of(opText);
      pos += 2;
      String right = at(pos);
      if (op == null || right == null) {
        throw SyntaxError.about(opText, "argument expected");
      }
      switch (op) {
        case EQ, NE, LT, LE, GT, GE -> {
          long a = number(left);
          long b = number(right);
          return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            default -> a >= b;
          };
        }
        case SAME, DIFFERENT, BEFORE, AFTER -> {
          // strcmp: byte by byte, unsigned
          int c = Libbb.raw(left).compareTo(Libbb.raw(right));
          return switch (op) {
            case SAME -> c == 0;
            case DIFFERENT -> c != 0;
            case BEFORE -> c < 0;
            default -> c > 0;
          };
        }
        default -> {
          Optional<Node> a = stat(left);
          Optional<Node> b = stat(right);
          if (a.isEmpty() || b.isEmpty()) {
            return false;
          }
          // Simplified: files keep no times, so none is newer or older than another
          return op == Op.SAME_FILE && a.get().path().equals(b.get().path());
        }
      }
    }

    private boolean unary(Op op, String operand) {
      if (op == Op.EMPTY || op == Op.NOT_EMPTY) {
        return operand.isEmpty() == (op == Op.EMPTY);
      }
      if (op == Op.TERMINAL) {
        // isatty takes an int: the number is cut to its low 32 bits
        return caller.isTerminal().test((int) number(operand));
      }
      if (op == Op.SYMLINK) {
        // lstat: the node has no symbolic links
        return false;
      }
      Optional<Node> found = stat(operand);
      if (found.isEmpty()) {
        return false;
      }
      Node n = found.get();
      return switch (op) {
        case EXISTS -> true;
        case READABLE -> allowed(n, READ);
        case WRITABLE -> allowed(n, WRITE);
        case EXECUTABLE -> allowed(n, EXECUTE);
        case REGULAR -> n.kind() == Kind.REGULAR;
        case DIRECTORY -> n.kind() == Kind.DIRECTORY;
        case CHAR_DEVICE -> n.kind() == Kind.CHAR_DEVICE;
        case FIFO -> n.kind() == Kind.FIFO;
        case SOCKET -> n.kind() == Kind.SOCKET;
        case SETUID -> (n.mode() & 04000) != 0;
        case SETGID -> (n.mode() & 02000) != 0;
        case STICKY -> (n.mode() & 01000) != 0;
        case NOT_EMPTY_FILE -> n.size() > 0;
        case OWNED -> caller.credentials().uid() == OWNER_UID;
        case GROUP_OWNED -> caller.credentials().gid() == OWNER_GID;
        // the node has no block devices
        default -> false;
      };
    }

    /**
     * Whether the caller may read, write or execute {@code n} by busybox's own check rather than access(2): root
     * reads and writes anything and executes what has any execute bit; anyone else gets the owner's, the group's
     * or the others' bits, the first that applies.
     */
    private boolean allowed(Node n, int what) {
      Credentials who = caller.credentials();
      if (who.uid() == 0 && (what != EXECUTE || (n.mode() & 0111) != 0)) {
        return true;
      }
      int shift;
      if (who.uid() == OWNER_UID) {
        shift = 6;
      } else if (who.gid() == OWNER_GID || who.groups().contains(OWNER_GID)) {
        shift = 3;
      } else {
        shift = 0;
      }
      return (n.mode() & (what << shift)) != 0;
    }

    /**
     * What {@code stat(2)} finds at {@code name}, each name before a slash having to be a directory; empty where
     * it fails.
     */
    private Optional<Node> stat(String name) {
      FileSystemView files = caller.files();
      if (name.isEmpty()) {
        return Optional.empty();
      }
      if (!name.endsWith("/") && Paths.resolve(caller.cwd(), name).equals("/dev/null")
          && !files.exists("/dev/null")) {
        return Optional.of(new Node("/dev/null", Kind.CHAR_DEVICE, 0666, 0));
      }
      String path = name.startsWith("/") ? "/" : caller.cwd();
      try {
        FileInfo info = files.stat(path);
        String[] parts = name.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
          String part = parts[i];
          if (i == 0 && part.isEmpty()) {
            continue;
          }
          // ENOTDIR: a slash after a name that is not a directory
          if (!info.isDirectory()) {
            return Optional.empty();
          }
          if (part.isEmpty() || part.equals(".")) {
            continue;
          }
          path = part.equals("..") ? Paths.parent(path) : Paths.join(path, part);
          info = files.stat(path);
        }
        return Optional.of(node(path, info));
      } catch (GoError e) {
        return Optional.empty();
      }
    }

    private static Node node(String path, FileInfo info) {
      return switch (info.type()) {
        case DIRECTORY -> new Node(path, Kind.DIRECTORY, info.mode(), DIRECTORY_SIZE);
        case REGULAR -> new Node(path, Kind.REGULAR, info.mode(), info.size());
        case FIFO -> new Node(path, Kind.FIFO, info.mode(), 0);
        case SOCKET -> new Node(path, Kind.SOCKET, info.mode(), 0);
      };
    }
  }

  /**
   * The number {@code strtoll} reads in {@code text}, base 10: blanks before and after allowed, a sign, digits and
   * nothing else.
   */
  private static long number(String text) {
    int i = 0;
    int n = text.length();
    while (i < n && isBlank(text.charAt(i))) {
      i++;
    }
    boolean negative = false;
    if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
      negative = text.charAt(i) == '-';
      i++;
    }
    int digits = i;
    // counted below zero, where a long reaches one further
    long value = 0;
    boolean overflow = false;
    for (; i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) {
      int d = text.charAt(i) - '0';
      if (value < (Long.MIN_VALUE + d) / 10) {
        overflow = true;
      } else {
        value = value * 10 - d;
      }
    }
    if (i == digits) {
      throw SyntaxError.about(text, "bad number");
    }
    if (overflow || !negative && value == Long.MIN_VALUE) {
      throw SyntaxError.about(text, "out of range");
    }
    while (i < n && isBlank(text.charAt(i))) {
      i++;
    }
    if (i < n) {
      throw SyntaxError.about(text, "bad number");
    }
    return negative ? value : -value;
  }

  /** isspace in the C locale: space, tab, newline, vertical tab, form feed, carriage return. */
  private static boolean isBlank(char c) {
    return c == ' ' || c >= '\t' && c <= '\r';
  }
}
