package io.execsim.testkit.assertions;

import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.execsim.core.trace.TraceEvent;
import java.util.List;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * Assertions on a {@link Trace}: which hops reached which phases, in what order, and which faults fired. Each
 * assertion reads the events recorded when it runs; a failure shows the events it looked at.
 */
public final class TraceAssert extends AbstractAssert<TraceAssert, Trace> {

  private TraceAssert(Trace actual) {
    super(actual, TraceAssert.class);
  }

  /** Assertions on {@code actual}. */
  public static TraceAssert assertThat(Trace actual) {
    return new TraceAssert(actual);
  }

  /** {@code hop} recorded {@code phase} at least once. */
  public TraceAssert hasPhase(Hop hop, Phase phase) {
    isNotNull();
    if (!actual.has(hop, phase)) {
      failWithMessage("Expecting %s to reach phase %s but it did not; %s recorded: %s\nthe trace:\n%s", hop.label(),
          phase.label(), hop.label(), phaseLabels(hop), Texts.trace(actual.events()));
    }
    return this;
  }

  /** {@code hop} never recorded {@code phase}. */
  public TraceAssert doesNotHavePhase(Hop hop, Phase phase) {
    isNotNull();
    List<String> hits = actual.events(hop).stream().filter(e -> e.phase() == phase).map(TraceEvent::render).toList();
    if (!hits.isEmpty()) {
      failWithMessage("Expecting %s never to reach phase %s but it did:\n%s", hop.label(), phase.label(),
          Texts.lines(hits));
    }
    return this;
  }

  /** A fault fired whose detail contains {@code text}: e.g. {@code "kubelet killed"}. */
  public TraceAssert hasFaultFired(String text) {
    isNotNull();
    List<TraceEvent> fired = actual.events().stream().filter(e -> e.phase() == Phase.FAULT_FIRED).toList();
    if (fired.stream().noneMatch(e -> e.detail().contains(text))) {
      if (fired.isEmpty()) {
        failWithMessage("Expecting a fault to fire with %s in its detail but no fault fired", Texts.quoted(text));
      }
      failWithMessage("Expecting a fault to fire with %s in its detail but the faults that fired were:\n%s",
          Texts.quoted(text), Texts.lines(fired.stream().map(TraceEvent::render).toList()));
    }
    return this;
  }

  /**
   * The phases {@code hop} recorded, in order, repeats kept, to assert on as a list: e.g.
   * {@code phasesOf(Hop.KUBECTL).containsSubsequence(Phase.CLIENT_REQUEST, Phase.STREAMS_CLOSED)}.
   */
  public ListAssert<Phase> phasesOf(Hop hop) {
    isNotNull();
    List<Phase> phases = actual.events(hop).stream().map(TraceEvent::phase).toList();
    return Assertions.assertThat(phases).as("the phases %s recorded", hop.label());
  }

  /** Some event matches {@code condition}, which {@code description} names: e.g. "a 101 from the kubelet". */
  public TraceAssert hasEventMatching(Predicate<? super TraceEvent> condition, String description) {
    isNotNull();
    if (actual.events().stream().noneMatch(condition)) {
      failWithMessage("Expecting an event of the trace to be %s but none was; the trace:\n%s", description,
          Texts.trace(actual.events()));
    }
    return this;
  }

  private String phaseLabels(Hop hop) {
    List<String> labels = actual.events(hop).stream().map(e -> e.phase().label()).toList();
    return labels.isEmpty() ? "nothing" : String.join(", ", labels);
  }
}
