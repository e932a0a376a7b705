package io.execsim.runc.programs;

import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code sleep N[smhd]...}: waits, in simulated time, the sum of its arguments, each a number of seconds with an
 * optional fraction and suffix (busybox's fancy sleep with float durations). {@code sleep inf} never ends.
 */
final class Sleep implements Program {
  static final String NAME = "sleep";
  private static final Map<String, Long> SUFFIXES = Map.of("s", 1L, "m", 60L, "h", 3600L, "d", 86400L);
  private static final String USAGE = "[N]...\n\nPause for a time equal to the total of the args given, where each"
      + " arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays";

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    var args = ctx.args().subList(1, ctx.args().size());
    if (args.isEmpty()) {
      return Libbb.usage(ctx, NAME, USAGE);
    }
    if (args.get(0).toLowerCase(Locale.ROOT).startsWith("inf")) {
      return new CompletableFuture<>();
    }
    double seconds = 0;
    for (String a : args) {
      if (!a.contains(".")) {
        OptionalLong n = Libbb.parseUnsigned(a, SUFFIXES);
        if (n.isEmpty()) {
          return Libbb.die(ctx, NAME, "invalid number '" + a + "'");
        }
        seconds += n.getAsLong();
        continue;
      }
      int len = 0;
      while (len < a.length() && "0123456789.".indexOf(a.charAt(len)) >= 0) {
        len++;
      }
      String number = a.substring(0, len);
      if (!number.matches("\\d+\\.?\\d*|\\.\\d+")) {
        return Libbb.usage(ctx, NAME, USAGE);
      }
      // busybox checks the suffix by parsing "1" followed by it, and names that string in its error
      String unit = "1" + a.substring(len);
      OptionalLong mult = Libbb.parseUnsigned(unit, SUFFIXES);
      if (mult.isEmpty()) {
        return Libbb.die(ctx, NAME, "invalid number '" + unit + "'");
      }
      seconds += Double.parseDouble(number) * mult.getAsLong();
    }
    return ctx.sleep(Duration.ofNanos(Math.round(seconds * 1e9))).thenApply(v -> 0);
  }
}
