package io.execsim.testkit.assertions;

import io.execsim.kubectl.KubectlResult;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link KubectlResult}, what the user of {@code kubectl exec} sees: its exit code, its standard
 * output and error, and its own error message (the last line it printed on standard error).
 */
public final class KubectlResultAssert extends AbstractAssert<KubectlResultAssert, KubectlResult> {

  private KubectlResultAssert(KubectlResult actual) {
    super(actual, KubectlResultAssert.class);
  }

  /** Assertions on {@code actual}. */
  public static KubectlResultAssert assertThat(KubectlResult actual) {
    return new KubectlResultAssert(actual);
  }

  /** kubectl exited with {@code code}. */
  public KubectlResultAssert exitedWith(int code) {
    isNotNull();
    if (actual.exitCode() != code) {
      failWithMessage("Expecting kubectl to exit with %d but it exited with %d; stderr:\n  %s", code,
          actual.exitCode(), Texts.quoted(actual.stderrText()));
    }
    return this;
  }

  /** kubectl's standard output is exactly {@code text}. */
  public KubectlResultAssert printedOnStdout(String text) {
    isNotNull();
    if (!actual.stdoutText().equals(text)) {
      failWithMessage("Expecting kubectl to print on stdout:\n  %s\nbut it printed:\n  %s\nand exited with %d",
          Texts.quoted(text), Texts.quoted(actual.stdoutText()), actual.exitCode());
    }
    return this;
  }

  /** kubectl's standard error is exactly {@code text}: the command's error output, then kubectl's message. */
  public KubectlResultAssert printedOnStderr(String text) {
    isNotNull();
    if (!actual.stderrText().equals(text)) {
      failWithMessage("Expecting kubectl to print on stderr:\n  %s\nbut it printed:\n  %s\nand exited with %d",
          Texts.quoted(text), Texts.quoted(actual.stderrText()), actual.exitCode());
    }
    return this;
  }

  /** kubectl printed nothing at all, on either stream. */
  public KubectlResultAssert printedNothing() {
    return printedOnStdout("").printedOnStderr("");
  }

  /**
   * kubectl's own message is exactly {@code text}, as it prints it: {@code command terminated with exit code 3},
   * {@code error: unable to upgrade connection: Unauthorized}, {@code Error from server (NotFound): ...}.
   */
  public KubectlResultAssert reportedError(String text) {
    isNotNull();
    if (!actual.message().equals(Optional.of(text))) {
      failWithMessage("Expecting kubectl to report the error:\n  %s\nbut %s", Texts.quoted(text), message());
    }
    return this;
  }

  /** kubectl printed no message of its own: whatever it printed on stderr was the command's. */
  public KubectlResultAssert reportedNoError() {
    isNotNull();
    if (actual.message().isPresent()) {
      failWithMessage("Expecting kubectl to report no error but %s", message());
    }
    return this;
  }

  private String message() {
    return actual.message().map(m -> "it reported:\n  " + Texts.quoted(m) + "\nand exited with " + actual.exitCode())
        .orElse("it reported none and exited with " + actual.exitCode());
  }
}
