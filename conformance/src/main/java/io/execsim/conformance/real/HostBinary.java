package io.execsim.conformance.real;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The programs of the machine that the real side runs, at the paths where Debian's packages put them. */
enum HostBinary {
  CONTAINERD("/usr/bin/containerd"),
  CTR("/usr/bin/ctr"),
  SHIM("/usr/bin/containerd-shim-runc-v2"),
  RUNC("/usr/sbin/runc"),
  BUSYBOX("/usr/bin/busybox"),
  SETSID("/usr/bin/setsid"),
  MOUNT("/usr/bin/mount"),
  UMOUNT("/usr/bin/umount"),
  KILL("/usr/bin/kill");

  private final String path;

  HostBinary(String path) {
    this.path = path;
  }

  /** The absolute path of the program. */
  String path() {
    return path;
  }

  /** The programs that are not there or not executable, as paths. */
  static List<String> missing() {
    return Arrays.stream(values()).map(HostBinary::path).filter(p -> !Files.isExecutable(Path.of(p))).toList();
  }
}
