package io.execsim.core.fs;

/**
 * What {@code stat} tells of a file.
 *
 * @param path the path as asked
 * @param type its type
 * @param mode its permission bits, e.g. {@code 0755}
 * @param size its size in bytes; 0 for directories, FIFOs and sockets
 */
public record FileInfo(String path, FileType type, int mode, long size) {

  /** Whether any execute bit is set. */
  public boolean isExecutable() {
    return (mode & 0111) != 0;
  }

  /** Whether it is a directory. */
  public boolean isDirectory() {
    return type == FileType.DIRECTORY;
  }
}
