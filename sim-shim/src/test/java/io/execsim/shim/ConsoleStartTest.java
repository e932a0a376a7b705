package io.execsim.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.RpcCode;
import io.execsim.core.error.RpcError;
import io.execsim.core.fs.MountSpec;
import io.execsim.core.node.Node;
import io.execsim.core.oci.Invocation;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.ProcessHandle;
import io.execsim.core.process.Signal;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.task.CreateTaskRequest;
import io.execsim.core.task.ExecProcessRequest;
import io.execsim.core.task.ProcessRef;
import io.execsim.core.task.ResizePtyRequest;
import io.execsim.core.trace.Trace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The shim's start of a terminal exec against a runtime that never sends the console master. */
class ConsoleStartTest {
  private static final String FIFO = "/run/io/e1-stdout";

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("n", scheduler, new SimRandom(1), new Trace(scheduler));
  private final ShimConfig config = ShimConfig.defaults();
  private final List<List<String>> invoked = new ArrayList<>();
  private final Shim shim = new Shim(node, this::mute, config);

  ConsoleStartTest() {
    node.fs().mount("/run", MountSpec.unlimited());
    node.fs().mount("/tmp", MountSpec.tmpfs(1 << 20, 100));
    node.fs().mkdirAll(config.bundle("c1"), 0755);
    node.fs().mkdirAll("/run/io", 0700);
    node.fs().mkfifo(FIFO, 0700);
    // containerd's end of the output FIFO
    node.fs().openFifoReader(FIFO);
    scheduler.await(shim.create(new CreateTaskRequest("c1", config.bundle("c1"))));
    scheduler.await(shim.start(new ProcessRef("c1", "")));
  }

  /** A runtime whose commands all succeed: it records its pid file and starts a process that never ends. */
  private CompletionStage<Integer> mute(Invocation inv) {
    invoked.add(inv.args());
    int at = inv.args().indexOf("--pid-file");
    if (at >= 0) {
      int pid = node.processes().allocatePid();
      node.processes().add(new Endless(pid));
      node.fs().writeFile(inv.args().get(at + 1), Integer.toString(pid).getBytes(StandardCharsets.US_ASCII), 0644);
    }
    inv.stdin().close();
    inv.stdout().close();
    inv.stderr().close();
    return CompletableFuture.completedFuture(0);
  }

  @Test
  void masterThatNeverComesFailsTheStartOnceTheConsoleSetupContextExpires() {
    scheduler.await(shim.exec(terminalExec()));

    assertThatThrownBy(() -> scheduler.await(shim.start(new ProcessRef("c1", "e1"))))
        .isInstanceOfSatisfying(RpcError.class, e -> assertThat(e.code()).isEqualTo(RpcCode.DEADLINE_EXCEEDED))
        .hasMessage("rpc error: code = DeadlineExceeded desc = failed to retrieve console master: "
            + "context deadline exceeded");
    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(30));
    assertThat(node.fs().list("/tmp")).as("the socket's directory is removed").isEmpty();
  }

  @Test
  void runcGetsTheConsoleSocketBeforeDetach() {
    scheduler.await(shim.exec(terminalExec()));
    shim.start(new ProcessRef("c1", "e1"));
    scheduler.runUntilIdle();

    List<String> exec = invoked.get(invoked.size() - 1);
    assertThat(exec.subList(exec.indexOf("exec"), exec.size()))
        .containsExactly("exec", "--process", exec.get(exec.indexOf("--process") + 1), "--console-socket",
            exec.get(exec.indexOf("--console-socket") + 1), "--detach", "--pid-file",
            config.bundle("c1") + "/e1.pid", "c1");
    assertThat(exec.get(exec.indexOf("--console-socket") + 1)).matches("/tmp/pty[0-9]+/pty\\.sock");
  }

  @Test
  void resizeOfAnExecWithoutAConsoleYetDoesNothing() {
    scheduler.await(shim.exec(terminalExec()));

    scheduler.await(shim.resizePty(new ResizePtyRequest(new ProcessRef("c1", "e1"), 80, 24)));
  }

  private static ExecProcessRequest terminalExec() {
    return new ExecProcessRequest("c1", "e1", true, Optional.empty(), Optional.of(FIFO), Optional.empty(),
        ProcessSpec.of(List.of("sh"), List.of()).withTerminal(true));
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
      return List.of("sh");
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
