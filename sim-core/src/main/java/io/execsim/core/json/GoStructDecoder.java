package io.execsim.core.json;

import io.execsim.core.error.GoError;
import io.execsim.core.json.GoType.Field;
import io.execsim.core.json.GoType.Kind;
import io.execsim.core.json.GoType.Pointer;
import io.execsim.core.json.GoType.Slice;
import io.execsim.core.json.GoType.Struct;
import io.execsim.core.oci.ProcessSpec;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decodes JSON into the Go structs that runc and containerd's shim decode, with {@code json.Unmarshal}'s semantics
 * and error texts: keys match field names exactly or else case-insensitively, unknown keys and {@code null} change
 * nothing, and a value of the wrong kind is skipped but fails the whole decode with Go's
 * {@code json: cannot unmarshal ...} text once the value has been read to its end.
 */
public final class GoStructDecoder {
  private static final Slice STRINGS = new Slice(Kind.STRING);
  private static final Struct BOX = Struct.of("specs", "Box", new Field("height", Kind.UINT),
      new Field("width", Kind.UINT));
  // Fields the simulator does not keep are still decoded, so that a value of the wrong kind fails as in runc.
  private static final Struct USER = Struct.of("specs", "User", new Field("uid", Kind.UINT32),
      new Field("gid", Kind.UINT32), new Field("umask", new Pointer(Kind.UINT32)),
      new Field("additionalGids", new Slice(Kind.UINT32)), new Field("username", Kind.STRING));
  private static final Struct CAPABILITIES = Struct.of("specs", "LinuxCapabilities", new Field("bounding", STRINGS),
      new Field("effective", STRINGS), new Field("inheritable", STRINGS), new Field("permitted", STRINGS),
      new Field("ambient", STRINGS));
  private static final Struct RLIMIT = Struct.of("specs", "POSIXRlimit", new Field("type", Kind.STRING),
      new Field("hard", Kind.UINT64), new Field("soft", Kind.UINT64));
  // specs.Process of runtime-spec v1.0.3-0.20210326190908-1c3f411f0417, the version runc 1.1.5 vendors.
  private static final Struct PROCESS = Struct.of("specs", "Process", new Field("terminal", Kind.BOOL),
      new Field("consoleSize", new Pointer(BOX)), new Field("user", USER), new Field("args", STRINGS),
      new Field("commandLine", Kind.STRING), new Field("env", STRINGS), new Field("cwd", Kind.STRING),
      new Field("capabilities", new Pointer(CAPABILITIES)), new Field("rlimits", new Slice(RLIMIT)),
      new Field("noNewPrivileges", Kind.BOOL), new Field("apparmorProfile", Kind.STRING),
      new Field("oomScoreAdj", new Pointer(Kind.INT)), new Field("selinuxLabel", Kind.STRING));
  // The anonymous struct of containerd's getLastRuntimeError (pkg/process/utils.go); no tags, so Go names.
  private static final Struct LOG = Struct.of("", "", new Field("Level", Kind.STRING),
      new Field("Msg", Kind.STRING), new Field("Time", Kind.TIME));

  private GoStructDecoder() {
  }

  /**
   * The process spec of a {@code runc exec --process} file: its first JSON value decoded into {@code specs.Process}.
   * Missing keys give Go's zero values: no arguments, an empty {@code cwd}, uid 0. The {@code uint64} limits of
   * {@code rlimits} keep their 64 bits in a {@code long}, read as unsigned, so {@code RLIM_INFINITY} becomes -1.
   *
   * @throws GoError with the text runc prints after {@code exec failed: }
   */
  public static ProcessSpec decodeProcess(byte[] data) {
    ValueCursor value = GoJsonDecoder.of(data).nextValue();
    Object[] p = (Object[]) GoUnmarshal.unmarshal(value, PROCESS, GoUnmarshal.zero(PROCESS));
    Object[] box = (Object[]) p[1];
    Object[] user = (Object[]) p[2];
    Object[] caps = (Object[]) p[7];
    List<ProcessSpec.Rlimit> rlimits = list(p[8]).stream().map(r -> (Object[]) r)
        .map(r -> new ProcessSpec.Rlimit((String) r[0], (long) r[1], (long) r[2])).toList();
    return new ProcessSpec((boolean) p[0],
        box == null ? null : new ProcessSpec.Box(size(box[0]), size(box[1])),
        new ProcessSpec.User((long) user[0], (long) user[1], list(user[3]).stream().map(g -> (Long) g).toList()),
        strings(p[3]), strings(p[5]), (String) p[6],
        caps == null ? null : new ProcessSpec.Capabilities(strings(caps[0]), strings(caps[1]), strings(caps[2]),
            strings(caps[3]), strings(caps[4])),
        rlimits, (boolean) p[9]);
  }

  /**
   * Decodes the next value of {@code decoder} into {@code previous}, as the shim's {@code dec.Decode(&log)} does with
   * the one variable it reuses for every line: a key the line lacks keeps the previous line's value.
   *
   * @throws GoError {@code EOF} when only white space is left, or the syntax, type or time error Go reports
   */
  public static LogEntry decodeLogEntry(GoJsonDecoder decoder, LogEntry previous) {
    Object[] into = {previous.level(), previous.msg(), previous.time()};
    Object[] e = (Object[]) GoUnmarshal.unmarshal(decoder.nextValue(), LOG, into);
    return new LogEntry((String) e[0], (String) e[1], (Instant) e[2]);
  }

  /**
   * The shim's {@code getLastRuntimeError} over the bytes of {@code log.json}: the trimmed {@code msg} of the last
   * line whose level is {@code error}, or "" when there is none.
   *
   * @throws GoError the error, other than {@code EOF}, that stopped reading the log, such as {@code unexpected EOF}
   */
  public static String lastErrorMessage(byte[] logJson) {
    GoJsonDecoder decoder = GoJsonDecoder.of(logJson);
    LogEntry entry = LogEntry.ZERO;
    String message = "";
    while (decoder.hasNext()) {
      entry = decodeLogEntry(decoder, entry);
      if (entry.level().equals("error")) {
        message = trimSpace(entry.msg());
      }
    }
    return message;
  }

  /** Go's {@code strings.TrimSpace}: trims Unicode white space, which differs from Java's {@code strip()}. */
  private static String trimSpace(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && isGoSpace(s.codePointAt(from))) {
      from += Character.charCount(s.codePointAt(from));
    }
    while (to > from && isGoSpace(s.codePointBefore(to))) {
      to -= Character.charCount(s.codePointBefore(to));
    }
    return s.substring(from, to);
  }

  private static boolean isGoSpace(int c) {
    if (c < 0x100) {
      return c == ' ' || c >= '\t' && c <= '\r' || c == 0x85 || c == 0xa0;
    }
    return Character.isSpaceChar(c);
  }

  private static List<?> list(@Nullable Object slice) {
    return slice == null ? List.of() : (List<?>) slice;
  }

  private static List<String> strings(@Nullable Object slice) {
    return list(slice).stream().map(s -> (String) s).toList();
  }

  // TODO: a console size above Integer.MAX_VALUE is clamped, since ProcessSpec.Box holds ints where Go has uint.
  private static int size(Object uint) {
    long n = (long) uint;
    return n < 0 || n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
  }
}
