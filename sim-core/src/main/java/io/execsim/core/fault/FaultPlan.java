package io.execsim.core.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The faults of one run, in order: an immutable value that prints as text, one fault a line, and parses back to
 * an equal plan, so a plan can be written in a test, logged, stored and replayed.
 *
 * <p>Each line is one fault: its target, its effect, then optionally its trigger and its duration.
 * <pre>{@code
 * fault    = target effect [trigger] ["for" duration]
 * target   = "link" link [direction] | component | "mount" path | "process" | "container"
 * link     = client-apiserver | apiserver-kubelet | kubelet-streaming       (byte streams)
 *          | kubelet-containerd | containerd-shim                            (CRI calls, task calls)
 *          | stdin | stdout | stderr                                         (FIFOs, one way each)
 * direction = toward-process | toward-client | both                          (default: both; a FIFO's own way)
 * component = apiserver | kubelet | streaming | containerd | shim | runc
 * trigger  = "at" ( "phase" phase-label | "byte" size [direction] | "time" duration
 *                 | "call" n | "connection" n )                             (default: at time 0s)
 * }</pre>
 * The effects, by the kind of target they act on:
 * <pre>{@code
 * link        latency D [jitter D] | bandwidth SIZE/s | stall | reset | half-close
 *             | slicer SIZE [variation SIZE] [delay D] | limit-data SIZE | corrupt-frame
 * apiserver   down | restart [downtime D]
 * kubelet     down | restart [downtime D] | unauthorized | forbidden | slow D
 * streaming   token-expired | token-reused | too-many-in-flight | streams-never-created
 * containerd  down | restart [downtime D] | deadline-exceeded
 * shim        killed | hung
 * runc        fails-to-start ERRNO (pid-file | log) | slow D
 * mount       full bytes | full inodes | read-only
 * process     killed SIGNAL | never-exits | exits-early code N
 * container   stopped | paused
 * }</pre>
 * Durations are written as Go writes them ({@code 500ms}, {@code 2s}, {@code 1m30s}); sizes are whole numbers of
 * bytes, or of {@code KiB}, {@code MiB} or {@code GiB}; errnos and signals by their names ({@code ENOSPC},
 * {@code SIGKILL}); phases by their labels ({@code process-running}). A byte offset without a direction counts the
 * way its link target names. Blank lines and lines that start with {@code #} hold no fault. For example:
 * <pre>{@code
 * kubelet restart at phase process-running
 * link apiserver-kubelet toward-client latency 200ms jitter 50ms at time 0s for 10s
 * mount /tmp full inodes at phase task-exec
 * runc fails-to-start ENOSPC pid-file at call 1
 * link stdout limit-data 4KiB at byte 1KiB toward-client
 * }</pre>
 * {@link #print()} writes every trigger, a direction only where it is not the default, an optional parameter only
 * where it is not zero, and a duration only where it is not zero.
 *
 * @param faults the faults, in the order the plan lists them
 */
public record FaultPlan(List<Fault> faults) {
  /** Copies the faults and checks that no byte offset lies past where an earlier fault closes its stream. */
  public FaultPlan {
    faults = List.copyOf(faults);
    for (int i = 0; i < faults.size(); i++) {
      Rules.pastClosedStream(faults, i, j -> "fault " + (j + 1)).ifPresent(message -> {
        throw new IllegalArgumentException(message);
      });
    }
  }

  /** A plan of {@code faults}, in order; no faults for a run without faults. */
  public static FaultPlan of(Fault... faults) {
    return new FaultPlan(List.of(faults));
  }

  /**
   * Reads a plan from its text form.
   *
   * @throws IllegalArgumentException naming the line and column of the first word that breaks the grammar or a rule
   */
  public static FaultPlan parse(String text) {
    return PlanParser.parse(text);
  }

  /** This plan with {@code fault} added last. */
  public FaultPlan plus(Fault fault) {
    List<Fault> more = new ArrayList<>(faults);
    more.add(fault);
    return new FaultPlan(more);
  }

  /** The plan as text, one fault a line, each line ending in a newline; {@link #parse} reads it back. */
  public String print() {
    return faults.stream().map(f -> f.print() + "\n").collect(Collectors.joining());
  }

  /** The printed form. */
  @Override
  public String toString() {
    return print();
  }
}
