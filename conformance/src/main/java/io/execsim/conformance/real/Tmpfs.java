package io.execsim.conformance.real;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of a scenario's small tmpfs mounts, which a scenario fills up and frees again. Filling writes only files named
 * {@code fill} (bytes) and {@code fill-<n>} (inodes) at the top of the mount, so they can be told apart from what the
 * runtime left there.
 */
final class Tmpfs {
  private static final Logger log = LoggerFactory.getLogger(Tmpfs.class);
  private static final String FILL = "fill";
  private static final Pattern FILL_NAME = Pattern.compile("fill(-[0-9]+)?");
  private static final String NO_SPACE = "No space left on device";
  /** Page-sized writes first, then single bytes for what is left of a page. */
  private static final int[] FILL_CHUNKS = {4096, 1};
  /** More inodes than any mount of a scenario has; a mount that takes this many is not what it should be. */
  private static final int MAX_FILL_FILES = 100_000;

  private final String name;
  private final Path dir;
  private final String options;

  /**
   * A mount named {@code name} in scenarios, on {@code dir}, with mount {@code options} such as
   * {@code size=64k,nr_inodes=64}.
   */
  Tmpfs(String name, Path dir, String options) {
    this.name = name;
    this.dir = dir;
    this.options = options;
  }

  /** The name a scenario gives the mount: {@code shimtmp}, {@code state} or {@code scratch}. */
  String name() {
    return name;
  }

  /** The mount point. */
  Path dir() {
    return dir;
  }

  /** Creates the mount point and mounts a fresh tmpfs on it. */
  void mount() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create mount point " + dir + ": " + e.getMessage(), e);
    }
    Mounts.mountTmpfs(dir, options);
    log.debug("mounted tmpfs {} on {} with {}", name, dir, options);
  }

  /** Writes zeros to {@code fill} until the mount has no byte left. */
  void fillBytes() {
    checkMounted();
    Path file = dir.resolve(FILL);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      for (int chunk : FILL_CHUNKS) {
        ByteBuffer zeros = ByteBuffer.allocate(chunk);
        while (writeFully(ch, zeros)) {
          zeros.clear();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("fill " + name + " bytes: " + e.getMessage(), e);
    }
    log.debug("filled {} by bytes", name);
  }

  /** Creates empty files {@code fill-1}, {@code fill-2}, ... until the mount has no inode left. */
  void fillInodes() {
    checkMounted();
    for (int n = 1; n <= MAX_FILL_FILES; n++) {
      try {
        Files.createFile(dir.resolve(FILL + "-" + n));
      } catch (FileSystemException e) {
        if (!isNoSpace(e)) {
          throw new IllegalStateException("fill " + name + " inodes: " + e.getMessage(), e);
        }
        log.debug("filled {} by inodes with {} files", name, n - 1);
        return;
      } catch (IOException e) {
        throw new IllegalStateException("fill " + name + " inodes: " + e.getMessage(), e);
      }
    }
    throw new IllegalStateException("fill " + name + " inodes: still room after " + MAX_FILL_FILES + " files");
  }

  /** Removes what {@link #fillBytes} and {@link #fillInodes} wrote. */
  void free() {
    checkMounted();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (isFill(p)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("free " + name + ": " + e.getMessage(), e);
    }
  }

  /** What is at the top of the mount but the fill files, as absolute paths; directories end with {@code /}. */
  List<String> entries() {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (!isFill(p)) {
          out.add(Files.isDirectory(p) ? p + "/" : p.toString());
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Unmounts it; whether nothing is mounted on its mount point any more. */
  boolean unmount() {
    return Mounts.unmount(dir);
  }

  private boolean isFill(Path p) {
    return p.getParent().equals(dir) && FILL_NAME.matcher(p.getFileName().toString()).matches();
  }

  private void checkMounted() {
    // filling a directory that is not the small tmpfs would fill the disk below it
    Mounts.Mount m = Mounts.at(dir).orElseThrow(() -> new IllegalStateException(name + " is not mounted: " + dir));
    if (!m.type().equals("tmpfs")) {
      throw new IllegalStateException(name + " is not a tmpfs but " + m.type() + ": " + dir);
    }
  }

  /** Writes all of {@code buf}; false if the mount ran out of space before. */
  private static boolean writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    try {
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      return true;
    } catch (IOException e) {
      if (isNoSpace(e)) {
        return false;
      }
      throw e;
    }
  }

  private static boolean isNoSpace(IOException e) {
    return e.getMessage() != null && e.getMessage().contains(NO_SPACE);
  }
}
