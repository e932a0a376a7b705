package io.execsim.core.fs;

import java.util.ArrayList;
import java.util.List;

/** Slash-separated path arithmetic as Go's {@code path/filepath} does it on Linux. */
public final class Paths {

  private Paths() {
  }

  /** The shortest equivalent path, as {@code filepath.Clean}: no {@code .}, resolved {@code ..}, no double slash. */
  public static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    List<String> out = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
        } else if (!rooted) {
          out.add(part);
        }
        continue;
      }
      out.add(part);
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  /** {@code dir} and {@code name} joined and cleaned; an absolute {@code name} is still taken below {@code dir}. */
  public static String join(String dir, String name) {
    return clean(dir + "/" + name);
  }

  /** {@code path} resolved against {@code cwd} unless it is absolute. */
  public static String resolve(String cwd, String path) {
    return path.startsWith("/") ? clean(path) : join(cwd, path);
  }

  /** The parent directory of a clean absolute path; the root is its own parent. */
  public static String parent(String path) {
    int i = path.lastIndexOf('/');
    return i <= 0 ? "/" : path.substring(0, i);
  }

  /** The last element of a clean path. */
  public static String base(String path) {
    if (path.equals("/")) {
      return "/";
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The elements of a clean absolute path; none for the root. */
  static List<String> elements(String path) {
    List<String> out = new ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }
}
