package io.execsim.core.outcome;

import java.util.OptionalInt;

/** The pure decision of an exec's {@link OutcomeClass} from what the client saw and what really happened. */
public final class OutcomeClassifier {

  private OutcomeClassifier() {
  }

  /**
   * The class of an exec whose client saw {@code observed} while {@code truth} happened:
   * <ul>
   *   <li>a process that never started: a reported success with nothing printed is
   *       {@link OutcomeClass#REPORTED_SUCCESS_UNFINISHED} (kubectl's exit 0 when its connection drops after the
   *       streams were made, before the runtime started the process), one with output
   *       {@link OutcomeClass#REPORTED_SUCCESS_WITHOUT_RUNNING}, anything else
   *       {@link OutcomeClass#FAILED_BEFORE_START};</li>
   *   <li>a process that ended with status {@code S}: a report of exactly {@code S} (success for 0) is
   *       {@link OutcomeClass#SUCCEEDED}; a reported success for another status is
   *       {@link OutcomeClass#REPORTED_SUCCESS_UNFINISHED}; anything else {@link OutcomeClass#FAILED_AFTER_START};</li>
   *   <li>a process that still runs: a reported success is {@link OutcomeClass#REPORTED_SUCCESS_UNFINISHED},
   *       anything else {@link OutcomeClass#FAILED_AFTER_START}.</li>
   * </ul>
   */
  public static OutcomeClass classify(ClientObservation observed, GroundTruth truth) {
    boolean success = observed.reportsSuccess();
    if (!truth.started()) {
      if (!success) {
        return OutcomeClass.FAILED_BEFORE_START;
      }
      // nothing the client sees tells a dropped connection from a success made up for a silent command: over
      // WebSocket the apiserver's translator itself writes a Success status when its SPDY leg drops. Output that no
      // process wrote is the one sure sign of a made-up run
      boolean printed = observed.stdout().length > 0 || observed.stderr().length > 0;
      return printed ? OutcomeClass.REPORTED_SUCCESS_WITHOUT_RUNNING : OutcomeClass.REPORTED_SUCCESS_UNFINISHED;
    }
    if (truth.exit().isEmpty()) {
      return success ? OutcomeClass.REPORTED_SUCCESS_UNFINISHED : OutcomeClass.FAILED_AFTER_START;
    }
    int status = truth.exit().get().status();
    OptionalInt reported = observed.reportedExitStatus();
    if (reported.isPresent() && reported.getAsInt() == status) {
      return OutcomeClass.SUCCEEDED;
    }
    return success ? OutcomeClass.REPORTED_SUCCESS_UNFINISHED : OutcomeClass.FAILED_AFTER_START;
  }
}
