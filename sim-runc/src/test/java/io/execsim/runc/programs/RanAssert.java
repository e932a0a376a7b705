package io.execsim.runc.programs;

import io.execsim.runc.programs.TestContainer.Ran;
import org.assertj.core.api.AbstractAssert;

/** Assertions on what a process of a {@link TestContainer} did. */
final class RanAssert extends AbstractAssert<RanAssert, Ran> {

  private RanAssert(Ran actual) {
    super(actual, RanAssert.class);
  }

  /** The entry point: {@code assertThat(container.sh("..."))}. */
  static RanAssert assertThat(Ran actual) {
    return new RanAssert(actual);
  }

  /** Checks the whole of stdout. */
  RanAssert printed(String stdout) {
    isNotNull();
    if (!actual.out().equals(stdout)) {
      failWithMessage("Expecting stdout of %s to be%n  \"%s\"%nbut was%n  \"%s\"", actual.argv(), stdout, actual.out());
    }
    return this;
  }

  /** Checks that stdout contains {@code part}. */
  RanAssert printedContaining(String part) {
    isNotNull();
    if (!actual.out().contains(part)) {
      failWithMessage("Expecting stdout of %s to contain%n  \"%s\"%nbut was%n  \"%s\"", actual.argv(), part,
          actual.out());
    }
    return this;
  }

  /** Checks the whole of stderr. */
  RanAssert complained(String stderr) {
    isNotNull();
    if (!actual.err().equals(stderr)) {
      failWithMessage("Expecting stderr of %s to be%n  \"%s\"%nbut was%n  \"%s\"", actual.argv(), stderr, actual.err());
    }
    return this;
  }

  /** Checks that nothing went to stderr. */
  RanAssert complainedOfNothing() {
    return complained("");
  }

  /** Checks that the process exited by itself with {@code code}. */
  RanAssert exitedWith(int code) {
    isNotNull();
    if (actual.exit().signal().isPresent() || actual.exit().code() != code) {
      failWithMessage("Expecting %s to exit with %d but it ended with %s (stderr \"%s\")", actual.argv(), code,
          actual.exit(), actual.err());
    }
    return this;
  }
}
