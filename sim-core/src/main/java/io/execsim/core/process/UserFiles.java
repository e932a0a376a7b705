package io.execsim.core.process;

import io.execsim.core.cli.Strconv;
import io.execsim.core.error.GoError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entries of a container's {@code /etc/passwd} and {@code /etc/group} as runc v1.1.5's libcontainer/user reads
 * them ({@code ParsePasswdFilter} and {@code ParseGroupFilter}). runc's init reads them to set up the process user,
 * and containerd's {@code oci.WithUser} reads them through the same package, so both sides share this reading.
 *
 * <p>Fields a line lacks are empty, or 0 for numbers; a number field that does not parse is 0, one out of range the
 * nearest 64-bit bound, as {@code strconv.Atoi}'s value beside its ignored error.
 */
public final class UserFiles {
  /** bufio.Scanner's {@code MaxScanTokenSize}: a passwd line this long or longer fails the scan. */
  private static final int MAX_SCAN_TOKEN = 64 * 1024;

  private UserFiles() {
  }

  /**
   * A line of {@code /etc/passwd}: {@code name:password:uid:gid:gecos:home:shell}.
   *
   * @param name the user name
   * @param uid the user id
   * @param gid the primary group id
   * @param home the home directory, empty when the line has none
   */
  public record Passwd(String name, long uid, long gid, String home) {
  }

  /**
   * A line of {@code /etc/group}: {@code name:password:gid:members}.
   *
   * @param name the group name
   * @param gid the group id
   */
  public record Group(String name, long gid) {
  }

  /**
   * The entries of a passwd file: every line that is not blank, comments included, in file order.
   *
   * @throws GoError {@code bufio.Scanner: token too long} for a line of 64 KiB or more
   */
  public static List<Passwd> passwd(byte[] data) {
    List<Passwd> out = new ArrayList<>();
    for (byte[] raw : lines(data)) {
      if (raw.length >= MAX_SCAN_TOKEN) {
        throw GoError.of("bufio.Scanner: token too long");
      }
      List<String> f = fields(raw);
      if (!f.isEmpty()) {
        out.add(new Passwd(f.get(0), atoi(field(f, 2)), atoi(field(f, 3)), field(f, 5)));
      }
    }
    return out;
  }

  /** The entries of a group file: every line that is neither blank nor a comment, in file order. */
  public static List<Group> groups(byte[] data) {
    // ParseGroupFilter reads with bufio.Reader, so its lines have no length limit
    List<Group> out = new ArrayList<>();
    for (byte[] raw : lines(data)) {
      List<String> f = fields(raw);
      if (!f.isEmpty() && !f.get(0).startsWith("#")) {
        out.add(new Group(f.get(0), atoi(field(f, 2))));
      }
    }
    return out;
  }

  /** The lines of {@code data} without their newlines; a last line without one counts too. */
  private static List<byte[]> lines(byte[] data) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= data.length; i++) {
      if (i == data.length || data[i] == '\n') {
        if (i > start || i < data.length) {
          out.add(Arrays.copyOfRange(data, start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** The colon-separated fields of a line after {@code bytes.TrimSpace}; none for a blank line. */
  private static List<String> fields(byte[] raw) {
    String line = trimSpace(new String(raw, StandardCharsets.UTF_8));
    return line.isEmpty() ? List.of() : Arrays.asList(line.split(":", -1));
  }

  private static String field(List<String> fields, int index) {
    return index < fields.size() ? fields.get(index) : "";
  }

  /** {@code bytes.TrimSpace}: leading and trailing Unicode white space off. */
  private static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** {@code unicode.IsSpace}. */
  private static boolean isSpace(char c) {
    return c >= '\t' && c <= '\r' || c == ' ' || c == 0x85 || c == 0xa0 || c == 0x1680 || c >= 0x2000 && c <= 0x200a
        || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
  }

  /** {@code parseLine}'s numbers: {@code strconv.Atoi} with its error ignored. */
  private static long atoi(String s) {
    try {
      return Strconv.atoi(s);
    } catch (Strconv.NumError e) {
      return e.value();
    }
  }
}
