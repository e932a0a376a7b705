package io.execsim.core.fs;

/** The kinds of file the node's file system holds. */
public enum FileType {
  DIRECTORY,
  REGULAR,
  FIFO,
  SOCKET
}
