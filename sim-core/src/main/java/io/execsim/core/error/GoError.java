package io.execsim.core.error;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An error as a Go component of the real chain produces it: a text built by wrapping, {@code "a: b: c"}, and an
 * optional errdefs class that travels with the chain the way {@code errors.Is} finds it.
 *
 * <p>Every failure that a simulated component reports is a {@code GoError}; a programming error in the library is
 * an ordinary Java exception and never one of these. Instances carry no stack trace: they are values that happen to
 * be throwable so that they can fail a {@link java.util.concurrent.CompletionStage}.
 */
public class GoError extends RuntimeException {
  private final @Nullable Errdefs errdefs;

  /** An error whose text is {@code text} and which belongs to no errdefs class. */
  public GoError(String text) {
    this(text, null, null);
  }

  protected GoError(String text, @Nullable GoError cause, @Nullable Errdefs errdefs) {
    super(text, cause, false, false);
    this.errdefs = errdefs;
  }

  /** A plain error, as {@code errors.New(text)} makes it. */
  public static GoError of(String text) {
    return new GoError(text);
  }

  /** A plain error in an errdefs class, as {@code fmt.Errorf("%s: %w", text, errdefs.ErrX)} makes it. */
  public static GoError of(String text, Errdefs errdefs) {
    return new GoError(text + ": " + errdefs.text(), null, errdefs);
  }

  /** Wraps {@code cause} with a prefix, as {@code fmt.Errorf(prefix + ": %w", cause)} does. */
  public static GoError wrap(String prefix, GoError cause) {
    return new GoError(prefix + ": " + cause.text(), cause, null);
  }

  /** The text the Go component prints for this error. */
  public String text() {
    return getMessage();
  }

  /** The errdefs class of this error or of any error it wraps. */
  public Optional<Errdefs> errdefs() {
    for (Throwable e = this; e instanceof GoError; e = e.getCause()) {
      GoError g = (GoError) e;
      if (g.errdefs != null) {
        return Optional.of(g.errdefs);
      }
    }
    return Optional.empty();
  }

  /** Whether this error or one it wraps is in {@code errdefs}, as {@code errdefs.IsX(err)} tells. */
  public boolean is(Errdefs errdefs) {
    return errdefs().filter(errdefs::equals).isPresent();
  }

  /** The innermost error of the chain. */
  public GoError root() {
    GoError e = this;
    while (e.getCause() instanceof GoError) {
      e = (GoError) e.getCause();
    }
    return e;
  }

  /** Finds the first error of the chain that has the given type. */
  public <T extends GoError> Optional<T> find(Class<T> type) {
    for (Throwable e = this; e instanceof GoError; e = e.getCause()) {
      if (type.isInstance(e)) {
        return Optional.of(type.cast(e));
      }
    }
    return Optional.empty();
  }

  /** Turns any throwable that ended a stage into the {@code GoError} it carries, unwrapping completion wrappers. */
  public static GoError from(Throwable t) {
    Throwable e = t;
    while ((e instanceof java.util.concurrent.CompletionException
        || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof GoError) {
      return (GoError) e;
    }
    if (e instanceof RuntimeException) {
      throw (RuntimeException) e;
    }
    if (e instanceof Error) {
      throw (Error) e;
    }
    throw new IllegalStateException("not a simulated error: " + e, e);
  }

  @Override
  public String toString() {
    return text();
  }
}
