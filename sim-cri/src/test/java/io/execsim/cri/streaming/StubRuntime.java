package io.execsim.cri.streaming;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.error.GoError;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.Streams;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.cri.CodeExitError;
import io.execsim.cri.ExecStreams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A streaming runtime without containers: tokens it issued, and one scripted behaviour for every exec. */
final class StubRuntime implements StreamRuntime {
  private final Map<String, ExecRequest> tokens = new HashMap<>();
  private final List<List<String>> ran = new ArrayList<>();
  private final List<TerminalSize> resizes = new ArrayList<>();
  private final Behaviour behaviour;
  private int issued;

  /** What an exec does with its streams. */
  @FunctionalInterface
  interface Behaviour {
    CompletionStage<Void> run(List<String> cmd, ExecStreams io);
  }

  StubRuntime(Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  /** Writes {@code out} and {@code err}, closes both, and exits with {@code code}. */
  static Behaviour prints(String out, String err, int code) {
    return (cmd, io) -> {
      io.stdout().ifPresent(s -> write(s, out));
      io.stderr().ifPresent(s -> write(s, err));
      return exit(cmd, code);
    };
  }

  /** Copies stdin to stdout until stdin ends, then closes the outputs and exits with 0, as {@code cat} does. */
  static Behaviour cat() {
    return (cmd, io) -> Streams.copy(io.stdin().orElseThrow(), io.stdout().orElseThrow(), 4096).thenAccept(n -> {
      io.stdout().get().close();
      io.stderr().ifPresent(ByteSink::close);
    });
  }

  /** Fails to start with {@code error}, as containerd's streamExec fails. */
  static Behaviour fails(GoError error) {
    return (cmd, io) -> {
      io.stdout().ifPresent(ByteSink::close);
      io.stderr().ifPresent(ByteSink::close);
      return CompletableFuture.failedFuture(error);
    };
  }

  private static void write(ByteSink sink, String text) {
    if (!text.isEmpty()) {
      sink.write(text.getBytes(StandardCharsets.UTF_8));
    }
    sink.close();
  }

  private static CompletionStage<Void> exit(List<String> cmd, int code) {
    return code == 0 ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(new CodeExitError(cmd, code));
  }

  /** Issues a token for {@code request}. */
  String issue(ExecRequest request) {
    String token = "tok" + ++issued;
    tokens.put(token, request);
    return token;
  }

  /** The commands run so far. */
  List<List<String>> ran() {
    return ran;
  }

  /** The terminal sizes received so far. */
  List<TerminalSize> resizes() {
    return resizes;
  }

  @Override
  public Optional<ExecRequest> redeem(String token) {
    return Optional.ofNullable(tokens.remove(token));
  }

  @Override
  public CompletionStage<Void> exec(String containerId, List<String> cmd, ExecStreams streams) {
    ran.add(cmd);
    streams.resize().ifPresent(this::collect);
    return behaviour.run(cmd, streams);
  }

  private void collect(TerminalSizeQueue sizes) {
    sizes.next().thenAccept(size -> size.ifPresent(s -> {
      resizes.add(s);
      collect(sizes);
    }));
  }
}
