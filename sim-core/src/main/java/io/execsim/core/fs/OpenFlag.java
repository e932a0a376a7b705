package io.execsim.core.fs;

/** Flags of {@code open(2)} that the node's file system honours. */
public enum OpenFlag {
  READ,
  WRITE,
  CREATE,
  EXCLUSIVE,
  TRUNCATE,
  APPEND
}
