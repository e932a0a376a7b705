package io.execsim.core.fault;

/** What a fault does to a mount of the node's file system. */
public sealed interface MountEffect extends Effect {
  /** No data block is left: writes on the mount fail with {@code ENOSPC} (no space left on device). */
  record FullBytes() implements MountEffect {
    @Override
    public String print() {
      return "full bytes";
    }
  }

  /** No inode is left: creating a file, directory or FIFO on the mount fails with {@code ENOSPC}. */
  record FullInodes() implements MountEffect {
    @Override
    public String print() {
      return "full inodes";
    }
  }

  /** Every change on the mount fails with {@code EROFS} (read-only file system). */
  record ReadOnly() implements MountEffect {
    @Override
    public String print() {
      return "read-only";
    }
  }
}
