package io.execsim.runc;

import io.execsim.core.error.PathError;
import io.execsim.core.fs.FileInfo;
import io.execsim.core.fs.FileSystemView;
import io.execsim.core.fs.Paths;
import io.execsim.core.process.LookPathError;
import java.util.Optional;

/** Finding the executable behind a command name inside a container, as Go's {@code exec.LookPath} does. */
final class Executables {

  private Executables() {
  }

  /**
   * The path {@code file} runs from: itself when it contains a slash, else the first executable regular file
   * {@code dir/file} for {@code dir} in {@code path}. Relative paths resolve against {@code cwd}.
   */
  static String lookPath(FileSystemView root, String cwd, String file, Optional<String> path) {
    if (file.contains("/")) {
      PathError e = findExecutable(root, cwd, file);
      if (e != null) {
        String detail = e.op().equals("stat") ? e.text() : e.errno().text();
        throw new LookPathError(file, reasonOf(e), detail);
      }
      return file;
    }
    for (String dir : path.orElse("").split(":", -1)) {
      String candidate = (dir.isEmpty() ? "." : dir) + "/" + file;
      if (!file.isEmpty() && path.isPresent() && findExecutable(root, cwd, candidate) == null) {
        return candidate;
      }
    }
    throw new LookPathError(file, LookPathError.Reason.NOT_FOUND, "executable file not found in $PATH");
  }

  private static LookPathError.Reason reasonOf(PathError e) {
    return e.op().equals("stat") ? LookPathError.Reason.NO_SUCH_FILE : LookPathError.Reason.PERMISSION_DENIED;
  }

  /** Null when {@code file} is an executable regular file; else why not, as Go's {@code findExecutable} says. */
  private static PathError findExecutable(FileSystemView root, String cwd, String file) {
    FileInfo info;
    try {
      info = root.stat(Paths.resolve(cwd, file));
    } catch (PathError e) {
      return new PathError("stat", file, e.errno());
    }
    if (!info.isDirectory() && info.isExecutable()) {
      return null;
    }
    return new PathError("exec", file, io.execsim.core.error.Errno.EACCES);
  }
}
