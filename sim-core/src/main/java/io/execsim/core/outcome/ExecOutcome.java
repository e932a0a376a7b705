package io.execsim.core.outcome;

/**
 * The outcome of one exec: what the client observed, what really happened in the container at the moment the
 * outcome was taken, and the class of the pair.
 *
 * @param observed what the client saw
 * @param truth what happened in the container
 * @param classification the class of the pair, as {@link OutcomeClassifier#classify} decides it
 */
public record ExecOutcome(ClientObservation observed, GroundTruth truth, OutcomeClass classification) {

  /** Checks that the class is the one the pair has. */
  public ExecOutcome {
    OutcomeClass expected = OutcomeClassifier.classify(observed, truth);
    if (classification != expected) {
      throw new IllegalArgumentException("the outcome's class must be " + expected + ": " + classification);
    }
  }

  /** The outcome of {@code observed} beside {@code truth}, classified. */
  public static ExecOutcome of(ClientObservation observed, GroundTruth truth) {
    return new ExecOutcome(observed, truth, OutcomeClassifier.classify(observed, truth));
  }
}
