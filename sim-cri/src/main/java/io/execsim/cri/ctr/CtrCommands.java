package io.execsim.cri.ctr;

import io.execsim.core.cli.App;
import io.execsim.core.cli.Command;
import io.execsim.core.cli.Flag;
import java.util.List;

/**
 * ctr's command-line tables, as containerd 1.6.20 declares them in {@code cmd/ctr}: the app's flags
 * ({@code app/main.go}) and each command the simulated ctr has, with its usage texts and every flag the real one
 * accepts. Flags the simulation gives no effect are parsed all the same; {@link Ctr} says which it reads.
 */
final class CtrCommands {
  /** {@code app/main.go}. */
  static final App APP = App.of(List.of(
      Flag.bool("debug", "enable debug output in logs"),
      Flag.string("address, a", "address for containerd's GRPC server").withValue(Ctr.DEFAULT_ADDRESS)
          .withEnvVar("CONTAINERD_ADDRESS"),
      Flag.duration("timeout", "total timeout for ctr commands"),
      Flag.duration("connect-timeout", "timeout for connecting to containerd"),
      Flag.string("namespace, n", "namespace to use with commands").withValue(Ctr.DEFAULT_NAMESPACE)
          .withEnvVar("CONTAINERD_NAMESPACE")));

  /** {@code run/run.go} with {@code run_unix.go}'s and {@code commands.go}'s (and its unix init's) flags. */
  static final Command RUN = Command.builder("ctr run")
      .usage("run a container")
      .argsUsage("[flags] Image|RootFS ID [COMMAND] [ARG...]")
      .skipArgReorder()
      .flags(runFlags())
      .build();

  /** {@code tasks/exec.go}. */
  static final Command EXEC = Command.builder("ctr tasks exec")
      .usage("execute additional processes in an existing container")
      .argsUsage("[flags] CONTAINER CMD [ARG...]")
      .skipArgReorder()
      .flags(List.of(
          Flag.string("cwd", "working directory of the new process"),
          Flag.bool("tty,t", "allocate a TTY for the container"),
          Flag.bool("detach,d", "detach from the task after it has started execution"),
          Flag.string("exec-id", "exec specific id for the process").asRequired(),
          Flag.string("fifo-dir", "directory used for storing IO FIFOs"),
          Flag.string("log-uri", "log uri for custom shim logging"),
          Flag.string("user", "user id or name")))
      .build();

  /** {@code tasks/kill.go}. */
  static final Command KILL = Command.builder("ctr tasks kill")
      .usage("signal a container (default: SIGTERM)")
      .argsUsage("[flags] CONTAINER")
      .flags(List.of(
          Flag.string("signal, s", "signal to send to the container"),
          Flag.string("exec-id", "process ID to kill"),
          Flag.bool("all, a", "send signal to all processes inside the container")))
      .build();

  /** {@code tasks/pause.go}. */
  static final Command PAUSE = Command.builder("ctr tasks pause")
      .usage("pause an existing container")
      .argsUsage("CONTAINER")
      .build();

  /** {@code tasks/resume.go}. */
  static final Command RESUME = Command.builder("ctr tasks resume")
      .usage("resume a paused container")
      .argsUsage("CONTAINER")
      .build();

  /** {@code tasks/delete.go}. */
  static final Command TASK_DELETE = Command.builder("ctr tasks delete")
      .usage("delete one or more tasks")
      .argsUsage("CONTAINER [CONTAINER, ...]")
      .flags(List.of(
          Flag.bool("force, f", "force delete task process"),
          Flag.string("exec-id", "process ID to kill")))
      .build();

  /** {@code containers/containers.go}. */
  static final Command CONTAINER_DELETE = Command.builder("ctr containers delete")
      .usage("delete one or more existing containers")
      .argsUsage("[flags] CONTAINER [CONTAINER, ...]")
      .flags(List.of(Flag.bool("keep-snapshot", "do not clean up snapshot with container")))
      .build();

  private CtrCommands() {
  }

  private static List<Flag> runFlags() {
    return List.of(
        Flag.bool("rm", "remove the container after running, cannot be used with --detach"),
        Flag.bool("null-io", "send all IO to /dev/null"),
        Flag.string("log-uri", "log uri"),
        Flag.bool("detach,d", "detach from the task after it has started execution, cannot be used with --rm"),
        Flag.string("fifo-dir", "directory used for storing IO FIFOs"),
        Flag.string("cgroup", "cgroup path (To disable use of cgroup, set to \"\" explicitly)"),
        Flag.string("platform", "run image for specific platform"),
        Flag.bool("cni", "enable cni networking for the container"),
        // run_unix.go platformRunFlags
        Flag.string("runc-binary", "specify runc-compatible binary"),
        Flag.string("runc-root", "specify runc-compatible root"),
        Flag.bool("runc-systemd-cgroup", "start runc with systemd cgroup manager"),
        Flag.string("uidmap", "run inside a user namespace with the specified UID mapping range; specified with the "
            + "format `container-uid:host-uid:length`"),
        Flag.string("gidmap", "run inside a user namespace with the specified GID mapping range; specified with the "
            + "format `container-gid:host-gid:length`"),
        Flag.bool("remap-labels", "provide the user namespace ID remapping to the snapshotter via label options; "
            + "requires snapshotter support"),
        Flag.float64("cpus", "set the CFS cpu quota"),
        Flag.integer("cpu-shares", "set the cpu shares").withValue(1024L),
        // commands.go SnapshotterFlags and SnapshotterLabels
        Flag.string("snapshotter", "snapshotter name. Empty value stands for the default value.")
            .withEnvVar("CONTAINERD_SNAPSHOTTER"),
        Flag.stringSlice("snapshotter-label", "labels added to the new snapshot for this container."),
        // commands.go ContainerFlags
        Flag.string("config,c", "path to the runtime-specific spec config file"),
        Flag.string("cwd", "specify the working directory of the process"),
        Flag.stringSlice("env", "specify additional container environment variables (e.g. FOO=bar)"),
        Flag.string("env-file", "specify additional container environment variables in a file(e.g. FOO=bar, one "
            + "per line)"),
        Flag.stringSlice("label", "specify additional labels (e.g. foo=bar)"),
        Flag.stringSlice("annotation", "specify additional OCI annotations (e.g. foo=bar)"),
        Flag.stringSlice("mount", "specify additional container mount (e.g. "
            + "type=bind,src=/tmp,dst=/host,options=rbind:ro)"),
        Flag.bool("net-host", "enable host networking for the container"),
        Flag.bool("privileged", "run privileged container"),
        Flag.bool("read-only", "set the containers filesystem as readonly"),
        Flag.string("runtime", "runtime name").withValue("io.containerd.runc.v2"),
        Flag.string("runtime-config-path", "optional runtime config path"),
        Flag.bool("tty,t", "allocate a TTY for the container"),
        Flag.stringSlice("with-ns", "specify existing Linux namespaces to join at container runtime (format "
            + "'<nstype>:<path>')"),
        Flag.string("pid-file", "file path to write the task's pid"),
        Flag.intSlice("gpus", "add gpus to the container"),
        Flag.bool("allow-new-privs", "turn off OCI spec's NoNewPrivileges feature flag"),
        Flag.uint64("memory-limit", "memory limit (in bytes) for the container"),
        Flag.stringSlice("device", "file path to a device to add to the container; or a path to a directory tree "
            + "of devices to add to the container"),
        Flag.stringSlice("cap-add", "add Linux capabilities (Set capabilities with 'CAP_' prefix)"),
        Flag.stringSlice("cap-drop", "drop Linux capabilities (Set capabilities with 'CAP_' prefix)"),
        Flag.bool("seccomp", "enable the default seccomp profile"),
        Flag.string("seccomp-profile", "file path to custom seccomp profile. seccomp must be set to true, before "
            + "using seccomp-profile"),
        Flag.string("apparmor-default-profile", "enable AppArmor with the default profile with the specified name, "
            + "e.g. \"cri-containerd.apparmor.d\""),
        Flag.string("apparmor-profile", "enable AppArmor with an existing custom profile"),
        Flag.string("rdt-class", "name of the RDT class to associate the container with. Specifies a Class of "
            + "Service (CLOS) for cache and memory bandwidth management."),
        // commands_unix.go init
        Flag.bool("rootfs", "use custom rootfs that is not managed by containerd snapshotter"),
        Flag.bool("no-pivot", "disable use of pivot-root (linux only)"),
        Flag.int64("cpu-quota", "Limit CPU CFS quota").withValue(-1L),
        Flag.uint64("cpu-period", "Limit CPU CFS period"),
        Flag.string("rootfs-propagation", "set the propagation of the container rootfs"));
  }
}
