package io.execsim.core.outcome;

import io.execsim.core.process.ExitStatus;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What really happened in the container for one exec, as only the simulator knows it: whether the runtime started
 * the process, how it ended or that it still runs, and what changed in the container's file system meanwhile.
 *
 * @param execId the runtime's id of the exec process, when the exec got as far as runc
 * @param pid the process id, when the process started
 * @param started whether the process started (runc ran it); a process that never started has no exit and does
 *     not run
 * @param exit how the process ended (its code, or the signal that killed it), when it has ended
 * @param changes what changed in the container's file system between the start of the exec and this truth; other
 *     processes of the container change it too
 */
public record GroundTruth(Optional<String> execId, OptionalInt pid, boolean started, Optional<ExitStatus> exit,
    FileChanges changes) {

  /** Checks that the parts agree. */
  public GroundTruth {
    if (!started && (exit.isPresent() || pid.isPresent())) {
      throw new IllegalArgumentException("a process that never started has neither pid nor exit: pid=" + pid
          + " exit=" + exit);
    }
    if (started && pid.isEmpty()) {
      throw new IllegalArgumentException("a started process has a pid");
    }
  }

  /** The process never started; {@code execId} names the exec if the runtime got that far. */
  public static GroundTruth notStarted(Optional<String> execId, FileChanges changes) {
    return new GroundTruth(execId, OptionalInt.empty(), false, Optional.empty(), changes);
  }

  /** The process {@code pid} of exec {@code execId} started and still runs. */
  public static GroundTruth running(String execId, int pid, FileChanges changes) {
    return new GroundTruth(Optional.of(execId), OptionalInt.of(pid), true, Optional.empty(), changes);
  }

  /** The process {@code pid} of exec {@code execId} started and ended with {@code exit}. */
  public static GroundTruth exited(String execId, int pid, ExitStatus exit, FileChanges changes) {
    return new GroundTruth(Optional.of(execId), OptionalInt.of(pid), true, Optional.of(exit), changes);
  }

  /** Whether the process started and has not ended yet. */
  public boolean isRunning() {
    return started && exit.isEmpty();
  }
}
