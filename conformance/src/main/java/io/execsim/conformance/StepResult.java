package io.execsim.conformance;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * What one command printed and returned.
 *
 * @param step the step's label, as the scenario writes it
 * @param stdout its standard output
 * @param stderr its standard error
 * @param exit its exit code; absent if it was still running at its step's limit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepResult(String step, String stdout, String stderr, @Nullable Integer exit) {

  /** A command that had not ended at its limit, with what it printed so far. */
  public static StepResult hung(String step, String stdout, String stderr) {
    return new StepResult(step, stdout, stderr, null);
  }

  /** The same result under another label. */
  public StepResult withStep(String label) {
    return new StepResult(label, stdout, stderr, exit);
  }

  /** The exit code as text, or {@code hung}. */
  public String exitText() {
    return exit == null ? "hung" : Integer.toString(exit);
  }
}
