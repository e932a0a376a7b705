package io.execsim.testkit.assertions;

import io.execsim.core.outcome.ClientProtocol;
import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.ExitStatus;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on an {@link ExecOutcome}: what kubectl printed and returned, the class of the exec, and what really
 * happened in the container.
 */
public final class ExecOutcomeAssert extends AbstractAssert<ExecOutcomeAssert, ExecOutcome> {

  private ExecOutcomeAssert(ExecOutcome actual) {
    super(actual, ExecOutcomeAssert.class);
  }

  /** Assertions on {@code actual}. */
  public static ExecOutcomeAssert assertThat(ExecOutcome actual) {
    return new ExecOutcomeAssert(actual);
  }

  /** kubectl's standard error is exactly {@code text}. */
  public ExecOutcomeAssert printedOnStderr(String text) {
    isNotNull();
    if (!actual.observed().stderrText().equals(text)) {
      failWithMessage("Expecting kubectl to print on stderr:\n  %s\nbut it printed:\n  %s", Texts.quoted(text),
          Texts.quoted(actual.observed().stderrText()));
    }
    return this;
  }

  /** kubectl's standard error matches {@code regex} whole. */
  public ExecOutcomeAssert printedOnStderrMatching(String regex) {
    isNotNull();
    if (!actual.observed().stderrText().matches(regex)) {
      failWithMessage("Expecting kubectl's stderr to match:\n  %s\nbut it was:\n  %s", regex,
          Texts.quoted(actual.observed().stderrText()));
    }
    return this;
  }

  /** kubectl's standard output is exactly {@code text}. */
  public ExecOutcomeAssert printedOnStdout(String text) {
    isNotNull();
    if (!actual.observed().stdoutText().equals(text)) {
      failWithMessage("Expecting kubectl to print on stdout:\n  %s\nbut it printed:\n  %s", Texts.quoted(text),
          Texts.quoted(actual.observed().stdoutText()));
    }
    return this;
  }

  /** kubectl printed nothing at all. */
  public ExecOutcomeAssert printedNothing() {
    return printedOnStdout("").printedOnStderr("");
  }

  /** kubectl exited with {@code code}. */
  public ExecOutcomeAssert exitedWith(int code) {
    isNotNull();
    if (actual.observed().exitCode() != code) {
      failWithMessage("Expecting kubectl to exit with %d but it exited with %d; stderr:\n  %s", code,
          actual.observed().exitCode(), Texts.quoted(actual.observed().stderrText()));
    }
    return this;
  }

  /** The exec ran over {@code protocol}. */
  public ExecOutcomeAssert ranOver(ClientProtocol protocol) {
    isNotNull();
    if (!actual.observed().protocol().equals(Optional.of(protocol))) {
      failWithMessage("Expecting the exec to run over %s but it ran over %s", protocol.label(),
          actual.observed().protocol().map(ClientProtocol::label).orElse("no protocol (it failed before one)"));
    }
    return this;
  }

  /** The outcome's class is {@code expected}. */
  public ExecOutcomeAssert isClassifiedAs(OutcomeClass expected) {
    isNotNull();
    if (actual.classification() != expected) {
      failWithMessage("Expecting the outcome to be %s but it was %s:\n  %s\n  %s", expected, actual.classification(),
          Texts.observed(actual.observed()), Texts.truth(actual.truth()));
    }
    return this;
  }

  /** The process never started: runc never ran it. */
  public ExecOutcomeAssert processNeverStarted() {
    isNotNull();
    if (actual.truth().started()) {
      failWithMessage("Expecting the process never to start but %s", Texts.truth(actual.truth()));
    }
    return this;
  }

  /** The process started and still runs. */
  public ExecOutcomeAssert processStillRuns() {
    isNotNull();
    if (!actual.truth().isRunning()) {
      failWithMessage("Expecting the process to run still but %s", Texts.truth(actual.truth()));
    }
    return this;
  }

  /** The process started and ended with {@code status}. */
  public ExecOutcomeAssert processEndedWith(ExitStatus status) {
    isNotNull();
    if (!actual.truth().exit().equals(Optional.of(status))) {
      failWithMessage("Expecting the process to end with %s but %s", status, Texts.truth(actual.truth()));
    }
    return this;
  }

  /** The container's file system gained exactly {@code paths} and lost and changed nothing. */
  public ExecOutcomeAssert createdInContainer(String... paths) {
    isNotNull();
    if (!actual.truth().changes().created().equals(List.of(paths)) || !actual.truth().changes().modified().isEmpty()
        || !actual.truth().changes().removed().isEmpty()) {
      failWithMessage("Expecting the container to gain exactly %s but its changes were %s", List.of(paths),
          actual.truth().changes());
    }
    return this;
  }
}
