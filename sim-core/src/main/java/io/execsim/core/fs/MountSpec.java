package io.execsim.core.fs;

/**
 * What a mount of the node's file system can hold, as {@code mount -t tmpfs -o size=..,nr_inodes=..} sets it.
 *
 * @param capacityBytes data capacity; a write past it fails with {@code ENOSPC}
 * @param inodes how many files, directories and FIFOs it holds, its root included; a create past it fails with
 *     {@code ENOSPC}
 * @param readOnly whether every change fails with {@code EROFS}
 */
public record MountSpec(long capacityBytes, long inodes, boolean readOnly) {
  /** The block size that data is accounted in, a page as on tmpfs. */
  public static final int BLOCK_SIZE = 4096;

  /** Checks the limits. */
  public MountSpec {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("capacityBytes must not be negative: " + capacityBytes);
    }
    if (inodes < 1) {
      throw new IllegalArgumentException("inodes must be at least 1 (the root): " + inodes);
    }
  }

  /** A writable mount with room for practically anything. */
  public static MountSpec unlimited() {
    return new MountSpec(Long.MAX_VALUE, Long.MAX_VALUE, false);
  }

  /** A writable tmpfs of the given size and inode count. */
  public static MountSpec tmpfs(long capacityBytes, long inodes) {
    return new MountSpec(capacityBytes, inodes, false);
  }

  /** This mount, read-only or writable. */
  public MountSpec withReadOnly(boolean on) {
    return new MountSpec(capacityBytes, inodes, on);
  }

  long capacityBlocks() {
    return capacityBytes / BLOCK_SIZE;
  }
}
