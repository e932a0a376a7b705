package io.execsim.core.remotecommand;

import io.execsim.core.process.TerminalSize;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The terminal sizes a client sends, one after another: the initial size first, then one per resize. */
@FunctionalInterface
public interface TerminalSizeQueue {

  /** The next size, or an empty optional when there will be no more. */
  CompletionStage<Optional<TerminalSize>> next();
}
