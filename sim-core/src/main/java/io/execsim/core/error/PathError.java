package io.execsim.core.error;

/** A failed file operation, as Go's {@code *fs.PathError} prints it: {@code "<op> <path>: <errno text>"}. */
public final class PathError extends GoError {
  private final String op;
  private final String path;
  private final Errno errno;

  /** The error of operation {@code op} (open, write, mkdir, ...) on {@code path}. */
  public PathError(String op, String path, Errno errno) {
    super(op + " " + path + ": " + errno.text(), errno.error(), null);
    this.op = op;
    this.path = path;
    this.errno = errno;
  }

  /** The operation, e.g. {@code open}. */
  public String op() {
    return op;
  }

  /** The path as the caller named it. */
  public String path() {
    return path;
  }

  /** The errno. */
  public Errno errno() {
    return errno;
  }
}
