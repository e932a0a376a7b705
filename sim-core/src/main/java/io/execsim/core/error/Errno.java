package io.execsim.core.error;

/** Linux error numbers that the simulated node raises, with the text Go prints for each ({@code syscall.Errno}). */
public enum Errno {
  EPERM(1, "operation not permitted"),
  ENOENT(2, "no such file or directory"),
  ESRCH(3, "no such process"),
  EIO(5, "input/output error"),
  ENXIO(6, "no such device or address"),
  ENOEXEC(8, "exec format error"),
  EBADF(9, "bad file descriptor"),
  EAGAIN(11, "resource temporarily unavailable"),
  EACCES(13, "permission denied"),
  EEXIST(17, "file exists"),
  ENOTDIR(20, "not a directory"),
  EISDIR(21, "is a directory"),
  EINVAL(22, "invalid argument"),
  EMFILE(24, "too many open files"),
  ENOSPC(28, "no space left on device"),
  EROFS(30, "read-only file system"),
  EPIPE(32, "broken pipe"),
  ENOTEMPTY(39, "directory not empty"),
  EADDRINUSE(98, "address already in use"),
  ECONNREFUSED(111, "connection refused");

  private final int number;
  private final String text;

  Errno(int number, String text) {
    this.number = number;
    this.text = text;
  }

  /** The error number. */
  public int number() {
    return number;
  }

  /** The text Go prints for it, e.g. {@code "no space left on device"}. */
  public String text() {
    return text;
  }

  /** The errno as an error of its own, as a bare {@code syscall.Errno} prints. */
  public GoError error() {
    return new ErrnoError(this);
  }

  /** An error that is exactly one errno. */
  public static final class ErrnoError extends GoError {
    private final Errno errno;

    ErrnoError(Errno errno) {
      super(errno.text(), null, null);
      this.errno = errno;
    }

    /** The errno. */
    public Errno errno() {
      return errno;
    }
  }
}
