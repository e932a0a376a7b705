package io.execsim.runc.programs;

import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code echo [-neE] [ARG]...}, busybox's fancy echo; ash's built-in echo is the same code. Leading arguments made
 * only of the letters n, e and E are options ({@code -E} changes nothing in busybox 1.35); the output is written
 * in one write.
 */
final class Echo implements Program {
  static final String NAME = "echo";

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    byte[] out = render(ctx.args().subList(1, ctx.args().size()));
    return Libbb.exitAfter(ctx, NAME, ctx.stdout().write(out), 0);
  }

  /** The bytes echo writes for {@code args}, the arguments after the program name. */
  static byte[] render(List<String> args) {
    boolean newline = true;
    boolean escapes = false;
    int first = 0;
    for (; first < args.size(); first++) {
      String a = args.get(first);
      if (a.length() < 2 || a.charAt(0) != '-' || !a.substring(1).matches("[neE]+")) {
        break;
      }
      newline &= a.indexOf('n') < 0;
      escapes |= a.indexOf('e') >= 0;
    }
    StringBuilder out = new StringBuilder();
    for (int i = first; i < args.size(); i++) {
      if (i > first) {
        out.append(' ');
      }
      String raw = Libbb.raw(args.get(i));
      if (!escapes) {
        out.append(raw);
      } else if (!Escapes.appendDecoded(out, raw)) {
        return Libbb.bytes(out);
      }
    }
    if (newline) {
      out.append('\n');
    }
    return Libbb.bytes(out);
  }
}
