package io.execsim.runc.programs;

import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code yes [STRING]...}: writes the arguments joined by blanks, or {@code y}, line after line until a write fails.
 * A broken pipe ends it by {@code SIGPIPE}; another error is reported as {@code yes: No space left on device}.
 *
 * <p>Lines go out in blocks of about 8 KiB. A sink that takes every block at once (a file, {@code /dev/null})
 * would hold the simulation's only thread for ever, so after each MiB it accepted at once yes waits a millisecond
 * of simulated time, letting timers (a kill, a timeout) fire.
 */
final class Yes implements Program {
  static final String NAME = "yes";
  private static final int BLOCK = 8 * 1024;
  private static final int BYTES_PER_PAUSE = 1024 * 1024;
  private static final Duration PAUSE = Duration.ofMillis(1);

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    String line = ctx.args().size() > 1 ? String.join(" ", ctx.args().subList(1, ctx.args().size())) : "y";
    byte[] one = (line + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] block = new byte[Math.max(1, BLOCK / one.length) * one.length];
    for (int at = 0; at < block.length; at += one.length) {
      System.arraycopy(one, 0, block, at, one.length);
    }
    int[] acceptedAtOnce = {0};
    return AsyncLoop.repeat(() -> {
      CompletableFuture<Void> w = ctx.stdout().write(block).toCompletableFuture();
      if (w.isDone() && !w.isCompletedExceptionally()) {
        acceptedAtOnce[0] += block.length;
        if (acceptedAtOnce[0] >= BYTES_PER_PAUSE) {
          acceptedAtOnce[0] = 0;
          return ctx.sleep(PAUSE).thenApply(v -> true);
        }
      }
      return w.thenApply(v -> true);
    }).handle((v, e) -> {
      // the loop ends only by a failed write: bb_perror_nomsg_and_die prints "yes: <strerror>"
      if (Libbb.isBrokenPipe(e)) {
        return CompletableFuture.<Integer>failedFuture(Libbb.unwrap(e));
      }
      return Libbb.die(ctx, NAME, Libbb.strerror(e));
    }).thenCompose(s -> s);
  }
}
