package io.execsim.runc;

import io.execsim.core.fs.FileSystemView;
import io.execsim.core.oci.ProcessSpec;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A container runc knows: its bundle, root file system, default process, status and processes. */
final class Container {
  private final String id;
  private final String bundle;
  private final FileSystemView root;
  private final ProcessSpec process;
  private final List<ContainerProcess> execs = new ArrayList<>();
  private ContainerStatus status = ContainerStatus.CREATED;
  private @Nullable ContainerProcess init;

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

  synchronized void addExec(ContainerProcess p) {
    execs.removeIf(e -> !e.isRunning());
    execs.add(p);
  }

  synchronized List<ContainerProcess> execs() {
    return List.copyOf(execs);
  }
}
