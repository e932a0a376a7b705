package io.execsim.conformance.real;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The busybox root file system every scenario gets a copy of: {@code bin} with busybox and its applets as links,
 * the empty directories a container needs, and {@code bin/noexec.sh}, a script without the execute bit. It is built
 * on first use in a temp directory of its own; {@link #delete} removes it.
 */
final class RootfsTemplate {
  private static final Logger log = LoggerFactory.getLogger(RootfsTemplate.class);
  private static final List<String> APPLETS = List.of("sh", "echo", "cat", "sleep", "ls", "true", "false", "id",
      "env", "ps", "mkdir", "touch", "chmod");
  private static final List<String> DIRS = List.of("bin", "proc", "sys", "dev", "tmp", "etc", "root");
  private static final String NOEXEC = "#!/bin/sh\necho noexec\n";

  private final Path parent;
  private @Nullable Path dir;

  /** A template that will be built in a new directory below {@code parent}. */
  RootfsTemplate(Path parent) {
    this.parent = parent;
  }

  /** Copies the root file system to {@code target}, building it first if this is its first use. */
  synchronized void copyTo(Path target) {
    Trees.copy(built(), target);
  }

  /** Removes the template, if it was built. */
  synchronized void delete() {
    if (dir != null) {
      Trees.delete(dir);
      dir = null;
    }
  }

  private Path built() {
    if (dir == null) {
      try {
        Path top = Files.createTempDirectory(parent, "execsim-conformance-rootfs-");
        build(top.resolve("rootfs"));
        dir = top;
      } catch (IOException e) {
        throw new IllegalStateException("cannot build the busybox root file system: " + e.getMessage(), e);
      }
      log.debug("built the busybox root file system in {}", dir);
    }
    return dir.resolve("rootfs");
  }

  private static void build(Path root) throws IOException {
    for (String d : DIRS) {
      Files.createDirectories(root.resolve(d));
    }
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bin = root.resolve("bin");
    Files.copy(Path.of(HostBinary.BUSYBOX.path()), bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    Path script = bin.resolve("noexec.sh");
    Files.writeString(script, NOEXEC, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
  }
}
