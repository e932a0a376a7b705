package io.execsim.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.GoError;
import io.execsim.core.fs.MountSpec;
import io.execsim.core.node.Node;
import io.execsim.core.oci.DelayedRuntime;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.process.Signal;
import io.execsim.core.rpc.CallLink;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.task.CreateTaskRequest;
import io.execsim.core.task.ExecProcessRequest;
import io.execsim.core.task.ExitResponse;
import io.execsim.core.task.KillRequest;
import io.execsim.core.task.ProcessRef;
import io.execsim.core.task.StateResponse;
import io.execsim.core.task.TaskStatus;
import io.execsim.core.trace.Trace;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The shim as a process: killed, stopped and continued, and its task service's state and deletes. */
class ShimFaultsTest {
  private static final String SOCKET = "/run/containerd/s/c1";
  private static final ProcessRef INIT = new ProcessRef("c1", "");
  private static final ProcessRef EXEC = new ProcessRef("c1", "e1");

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("n", scheduler, new SimRandom(1), new Trace(scheduler));
  private final ShimConfig config = ShimConfig.defaults();
  private final FakeRuntime runc = new FakeRuntime(node);

  ShimFaultsTest() {
    node.fs().mount("/run", MountSpec.unlimited());
    node.fs().mount("/tmp", MountSpec.tmpfs(1 << 20, 100));
    node.fs().mkdirAll(config.bundle("c1"), 0755);
    node.fs().mkdirAll("/run/containerd/s", 0711);
  }

  /** A shim serving c1, its init running, and containerd's ttrpc connection to it. */
  private CallLink running(Shim shim) {
    shim.serve(SOCKET);
    CallLink ttrpc = node.sockets().dial(SOCKET).connect(GoError.of("ttrpc: closed"));
    scheduler.await(shim.create(new CreateTaskRequest("c1", config.bundle("c1"), false, Optional.empty(),
        Optional.of("/run/fifo/c1-stdout"), Optional.of("/run/fifo/c1-stderr"))));
    scheduler.await(shim.start(INIT));
    return ttrpc;
  }

  private static ExecProcessRequest exec() {
    return new ExecProcessRequest("c1", "e1", false, Optional.empty(), Optional.empty(), Optional.empty(),
        ProcessSpec.of(List.of("sleep", "30"), List.of("PATH=/bin")));
  }

  @Test
  void killedShimFailsWaitingExec() {
    Shim shim = new Shim(node, runc, config);
    CallLink ttrpc = running(shim);
    scheduler.await(ttrpc.call(() -> shim.exec(exec())));
    scheduler.await(ttrpc.call(() -> shim.start(EXEC)));
    CompletableFuture<ExitResponse> waiting = ttrpc.call(() -> shim.waitFor(EXEC)).toCompletableFuture();
    scheduler.advance(Duration.ofSeconds(2));

    shim.kill();

    assertThatThrownBy(() -> scheduler.await(waiting)).isInstanceOf(GoError.class).hasMessage("ttrpc: closed");
    assertThat(shim.isAlive()).isFalse();
    assertThat(node.fs().exists(SOCKET)).as("a killed shim leaves its socket file").isTrue();
    assertThatThrownBy(() -> node.sockets().dial(SOCKET))
        .hasMessage("dial unix " + SOCKET + ": connect: connection refused");
  }

  @Test
  void killedShimNeverRemovesTheTempFileOfAnExecWhoseRuntimeHadNotReturned() {
    Shim shim = new Shim(node, new DelayedRuntime(runc, scheduler, "exec", Duration.ofSeconds(5)), config);
    CallLink ttrpc = running(shim);
    scheduler.await(ttrpc.call(() -> shim.exec(exec())));
    CompletableFuture<?> starting = ttrpc.call(() -> shim.start(EXEC)).toCompletableFuture();
    scheduler.advance(Duration.ofSeconds(2));

    shim.kill();
    scheduler.advance(Duration.ofSeconds(10));

    assertThat(starting).isCompletedExceptionally();
    assertThat(node.fs().list("/tmp")).singleElement().asString().matches("runc-process[0-9]+");
  }

  @Test
  void tempFileGoesWhenTheRuntimeReturnsToALiveShim() {
    Shim shim = new Shim(node, new DelayedRuntime(runc, scheduler, "exec", Duration.ofSeconds(5)), config);
    CallLink ttrpc = running(shim);
    scheduler.await(ttrpc.call(() -> shim.exec(exec())));

    scheduler.await(ttrpc.call(() -> shim.start(EXEC)));

    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(5));
    assertThat(node.fs().list("/tmp")).isEmpty();
  }

  @Test
  void stoppedShimAnswersOnlyOnceContinued() {
    Shim shim = new Shim(node, runc, config);
    CallLink ttrpc = running(shim);

    shim.stop();
    CompletableFuture<StateResponse> state = ttrpc.call(() -> shim.state(INIT)).toCompletableFuture();
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(state).isNotDone();

    shim.cont();
    assertThat(scheduler.await(state).status()).isEqualTo(TaskStatus.RUNNING);
  }

  @Test
  void stateReportsTheProcessWithTheStreamsItWasGiven() {
    Shim shim = new Shim(node, runc, config);
    running(shim);

    StateResponse s = scheduler.await(shim.state(INIT));

    assertThat(s.id()).isEqualTo("c1");
    assertThat(s.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(s.stdout()).contains("/run/fifo/c1-stdout");
    assertThat(s.stdin()).isEmpty();
    assertThat(s.pid()).isPositive();
    assertThatThrownBy(() -> scheduler.await(shim.state(EXEC)))
        .hasMessage("rpc error: code = NotFound desc = process does not exist e1: not found");
  }

  @Test
  void stoppedInitIsDeletedAndAnEmptyShimExitsOnShutdownRemovingItsSocket() {
    Shim shim = new Shim(node, runc, config);
    running(shim);
    assertThatThrownBy(() -> scheduler.await(shim.delete(INIT)))
        .hasMessage("rpc error: code = Unknown desc = cannot delete a running process");

    scheduler.await(shim.kill(new KillRequest(INIT, Signal.SIGKILL)));
    ExitResponse exit = scheduler.await(shim.delete(INIT));
    scheduler.await(shim.shutdown("c1"));
    scheduler.runUntilIdle();

    assertThat(exit.exitStatus()).isEqualTo(137);
    assertThat(runc.last("delete")).endsWith("delete", "c1");
    assertThat(shim.isAlive()).isFalse();
    assertThat(node.fs().exists(SOCKET)).isFalse();
  }
}
