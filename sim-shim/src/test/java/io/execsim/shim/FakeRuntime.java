package io.execsim.shim;

import io.execsim.core.node.Node;
import io.execsim.core.oci.Invocation;
import io.execsim.core.oci.OciRuntime;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.ProcessHandle;
import io.execsim.core.process.Signal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A runtime whose commands all succeed at once: a command with a pid file starts a process that runs until killed
 * and records its pid; {@code delete --force} kills the last one. It keeps every command line it was given.
 */
final class FakeRuntime implements OciRuntime {
  private final Node node;
  final List<List<String>> invoked = new ArrayList<>();
  final List<ProcessHandle> started = new ArrayList<>();

  FakeRuntime(Node node) {
    this.node = node;
  }

  @Override
  public CompletionStage<Integer> invoke(Invocation inv) {
    invoked.add(inv.args());
    int at = inv.args().indexOf("--pid-file");
    if (at >= 0) {
      int pid = node.processes().allocatePid();
      Endless p = new Endless(pid);
      started.add(p);
      node.processes().add(p);
      node.fs().writeFile(inv.args().get(at + 1), Integer.toString(pid).getBytes(StandardCharsets.US_ASCII), 0644);
    }
    if (inv.args().contains("--force")) {
      started.forEach(p -> p.signal(Signal.SIGKILL));
    }
    inv.stdin().close();
    inv.stdout().close();
    inv.stderr().close();
    return CompletableFuture.completedFuture(0);
  }

  /** The last command line that contains {@code word}. */
  List<String> last(String word) {
    for (int i = invoked.size() - 1; i >= 0; i--) {
      if (invoked.get(i).contains(word)) {
        return invoked.get(i);
      }
    }
    throw new AssertionError("no command with " + word + " in " + invoked);
  }

  /** A process that runs until killed. */
  private static final class Endless implements ProcessHandle {
    private final int pid;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

    Endless(int pid) {
      this.pid = pid;
    }

    @Override
    public int pid() {
      return pid;
    }

    @Override
    public String containerId() {
      return "c1";
    }

    @Override
    public List<String> args() {
      return List.of("sleep", "3600");
    }

    @Override
    public CompletionStage<ExitStatus> exit() {
      return exit;
    }

    @Override
    public boolean isRunning() {
      return !exit.isDone();
    }

    @Override
    public void signal(Signal signal) {
      exit.complete(ExitStatus.killed(signal));
    }

    @Override
    public void exitEarly(int exitCode) {
      exit.complete(ExitStatus.exited(exitCode));
    }

    @Override
    public void neverExit() {
      // it never exits by itself anyway
    }
  }
}
