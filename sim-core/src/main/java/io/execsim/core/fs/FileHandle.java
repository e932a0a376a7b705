package io.execsim.core.fs;

import io.execsim.core.error.Errno;
import io.execsim.core.error.PathError;
import java.util.Arrays;
import java.util.Set;

/**
 * An open regular file of the node's file system, as Go's {@code *os.File}. Writes go to the end when opened for
 * appending, else at the handle's offset. Closing frees the open-file slot; closing twice does nothing.
 */
public final class FileHandle implements AutoCloseable {
  private final NodeFileSystem fs;
  private final NodeFileSystem.RegularFile file;
  private final String name;
  private final Set<OpenFlag> flags;
  private long offset;
  private boolean closed;

  FileHandle(NodeFileSystem fs, NodeFileSystem.RegularFile file, String name, Set<OpenFlag> flags) {
    this.fs = fs;
    this.file = file;
    this.name = name;
    this.flags = Set.copyOf(flags);
  }

  /** The path the file was opened by, as {@code f.Name()} gives it. */
  public String name() {
    return name;
  }

  /**
   * Writes {@code data}; on a full mount writes what fits and throws {@code write <name>: no space left on device}.
   */
  public void write(byte[] data) {
    if (closed) {
      throw new PathError("write", name, Errno.EBADF);
    }
    if (!flags.contains(OpenFlag.WRITE)) {
      throw new PathError("write", name, Errno.EBADF);
    }
    synchronized (fs) {
      long at = flags.contains(OpenFlag.APPEND) ? file.size : offset;
      try {
        offset = at + fs.write(file, name, at, data);
      } catch (PathError e) {
        offset = file.size;
        throw e;
      }
    }
  }

  /** Reads the whole file from the start. */
  public byte[] readAll() {
    if (closed) {
      throw new PathError("read", name, Errno.EBADF);
    }
    synchronized (fs) {
      return Arrays.copyOf(file.data, file.size);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      fs.closed(this);
    }
  }
}
