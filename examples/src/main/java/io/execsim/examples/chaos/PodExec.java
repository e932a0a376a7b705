package io.execsim.examples.chaos;

import java.time.Duration;
import java.util.List;

/** How an operator execs into its target pod, and waits between tries: the part a test replaces. */
public interface PodExec {
  /** Runs {@code command} in the target container, to its end, as {@code kubectl exec} would. */
  Result exec(List<String> command);

  /** Waits {@code duration} before the next try. */
  void sleep(Duration duration);

  /**
   * What the exec reported.
   *
   * @param exitCode kubectl's exit code: 0, the command's own code, or 1 when the exec itself failed
   * @param stdout what the command printed
   * @param stderr kubectl's error text, or the command's
   */
  record Result(int exitCode, String stdout, String stderr) {
    /** Whether blade answered that it succeeded. */
    public boolean bladeSucceeded() {
      return exitCode == 0 && stdout.contains("\"success\":true");
    }

    /** Whether blade's whole answer arrived, successful or not, so that it can be trusted. */
    public boolean bladeAnswered() {
      return stdout.startsWith("{\"code\":") && stdout.endsWith("}\n");
    }
  }
}
