package io.execsim.conformance;

import java.util.List;

/**
 * Something a scenario does to the node or the runtime between or during commands; it prints nothing and is not
 * recorded, but a side that cannot do it fails the scenario.
 *
 * @param verb what is done
 * @param args its arguments: a mount, a container id, a duration
 */
public record Action(Verb verb, List<String> args) {

  /** The mounts a scenario can fill, each a small tmpfs of its own on the real side. */
  public static final List<String> MOUNTS = List.of("shimtmp", "state", "scratch");

  /** What an action does. */
  public enum Verb {
    /** {@code fill <mount> bytes|inodes}: nothing more of that resource fits on the mount. */
    FILL("fill", 2),
    /** {@code free <mount>}: removes what {@code fill} put there. */
    FREE("free", 1),
    /** {@code kill-shim <container>}: SIGKILL to the container's shim. */
    KILL_SHIM("kill-shim", 1),
    /** {@code stop-shim <container>}: SIGSTOP to the container's shim; it answers nothing until continued. */
    STOP_SHIM("stop-shim", 1),
    /** {@code cont-shim <container>}: SIGCONT to a stopped shim. */
    CONT_SHIM("cont-shim", 1),
    /** {@code kill-containerd}: SIGKILL to containerd; the shims and their processes go on. */
    KILL_CONTAINERD("kill-containerd", 0),
    /** {@code stop-containerd}: SIGTERM to containerd, waiting until it has exited. */
    STOP_CONTAINERD("stop-containerd", 0),
    /** {@code start-containerd}: starts containerd again, waiting until it answers. */
    START_CONTAINERD("start-containerd", 0),
    /** {@code restart-containerd}: {@code stop-containerd}, then {@code start-containerd}. */
    RESTART_CONTAINERD("restart-containerd", 0),
    /** {@code wait <duration>}: lets time pass. */
    WAIT("wait", 1);

    private final String word;
    private final int arity;

    Verb(String word, int arity) {
      this.word = word;
      this.arity = arity;
    }

    /** The verb as a scenario writes it. */
    public String word() {
      return word;
    }

    static Verb of(String word) {
      for (Verb v : values()) {
        if (v.word.equals(word)) {
          return v;
        }
      }
      throw new IllegalArgumentException("unknown action: " + word);
    }
  }

  /** Checks the arguments against the verb. */
  public Action {
    args = List.copyOf(args);
    if (args.size() != verb.arity) {
      throw new IllegalArgumentException(verb.word + " takes " + verb.arity + " argument(s): " + args);
    }
    if ((verb == Verb.FILL || verb == Verb.FREE) && !MOUNTS.contains(args.get(0))) {
      throw new IllegalArgumentException("unknown mount (one of " + MOUNTS + "): " + args.get(0));
    }
    if (verb == Verb.FILL && !List.of("bytes", "inodes").contains(args.get(1))) {
      throw new IllegalArgumentException("a mount fills by bytes or by inodes: " + args.get(1));
    }
    if (verb == Verb.WAIT) {
      Durations.parse(args.get(0));
    }
  }

  /** How long a {@code wait} lets time pass. */
  public java.time.Duration waitTime() {
    if (verb != Verb.WAIT) {
      throw new IllegalStateException("not a wait: " + this);
    }
    return Durations.parse(args.get(0));
  }

  /** The action as a scenario writes it. */
  @Override
  public String toString() {
    return args.isEmpty() ? verb.word : verb.word + " " + String.join(" ", args);
  }
}
