package io.execsim.core.remotecommand;

import io.execsim.core.process.TerminalSize;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The terminal sizes a client sends, one after another: the initial size first, then one per resize. */
@FunctionalInterface
public interface TerminalSizeQueue {

  /** The next size, or an empty optional when there will be no more. */
  CompletionStage<Optional<TerminalSize>> next();

  /** A queue that yields {@code sizes} at once, in order, and then its end: a terminal never resized after them. */
  static TerminalSizeQueue of(TerminalSize... sizes) {
    ArrayDeque<TerminalSize> left = new ArrayDeque<>(List.of(sizes));
    return () -> {
      synchronized (left) {
        return CompletableFuture.completedFuture(Optional.ofNullable(left.poll()));
      }
    };
  }
}
