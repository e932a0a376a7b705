package io.execsim.core.process;

import java.util.concurrent.CompletionStage;

/**
 * A program that runs inside a simulated container: built-ins such as {@code sh}, {@code cat} and {@code sleep},
 * and programs a user writes. A program reads and writes through its {@link ProcessContext}, never blocks a thread
 * (it chains stages instead, and sleeps in simulated time), and completes the returned stage with its exit code.
 *
 * <p>Killing the process ends it at once: its exit status becomes the signal, its streams close and its sleeps are
 * cancelled; whatever the program's stage does afterwards is ignored.
 */
@FunctionalInterface
public interface Program {

  /** Runs the program; the stage completes with its exit code, 0 to 255. */
  CompletionStage<Integer> run(ProcessContext context);
}
