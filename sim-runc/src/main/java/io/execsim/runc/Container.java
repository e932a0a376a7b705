package io.execsim.runc;

import io.execsim.core.fs.FileSystemView;
import io.execsim.core.oci.ProcessSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A container runc knows: its bundle, root file system, default process, status and processes, and its cgroup's
 * freezer. Freezing stops every process of the container where it stands until the thaw (see
 * {@link ContainerProcess}); a process that joins a frozen container starts frozen.
 */
final class Container {
  private final String id;
  private final String bundle;
  private final FileSystemView root;
  private final ProcessSpec process;
  private final Set<ContainerProcess> execs = new LinkedHashSet<>();
  private ContainerStatus status = ContainerStatus.CREATED;
  private @Nullable ContainerProcess init;
  private boolean frozen;

  Container(String id, String bundle, FileSystemView root, ProcessSpec process) {
    this.id = id;
    this.bundle = bundle;
    this.root = root;
    this.process = process;
  }

  String id() {
    return id;
  }

  String bundle() {
    return bundle;
  }

  FileSystemView root() {
    return root;
  }

  ProcessSpec process() {
    return process;
  }

  synchronized ContainerStatus status() {
    return status;
  }

  synchronized void setStatus(ContainerStatus s) {
    status = s;
  }

  synchronized @Nullable ContainerProcess init() {
    return init;
  }

  synchronized void setInit(ContainerProcess p) {
    init = p;
  }

  /** Adds a process other than the init: one that {@code runc exec} started, or one that a process spawned. */
  synchronized void addExec(ContainerProcess p) {
    execs.add(p);
  }

  /** Takes an ended process out of the container. */
  synchronized void remove(ContainerProcess p) {
    execs.remove(p);
  }

  /** The processes running in the container other than its init, oldest first, orphans included. */
  synchronized List<ContainerProcess> execs() {
    return execs.stream().filter(ContainerProcess::isRunning).toList();
  }

  /** Whether the container's cgroup is frozen. */
  synchronized boolean isFrozen() {
    return frozen;
  }

  /** {@code runc pause}: freezes every process of the container; its status becomes paused. */
  void freeze() {
    for (ContainerProcess p : setFrozen(true, ContainerStatus.PAUSED)) {
      p.freeze();
    }
  }

  /** {@code runc resume}: thaws every process of the container; its status becomes running. */
  void thaw() {
    for (ContainerProcess p : setFrozen(false, ContainerStatus.RUNNING)) {
      p.thaw();
    }
  }

  private synchronized List<ContainerProcess> setFrozen(boolean value, ContainerStatus next) {
    frozen = value;
    status = next;
    List<ContainerProcess> all = new ArrayList<>();
    if (init != null && init.isRunning()) {
      all.add(init);
    }
    all.addAll(execs());
    return all;
  }
}
