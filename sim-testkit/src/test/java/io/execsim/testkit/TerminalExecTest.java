package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fs.MountSpec;
import io.execsim.core.fs.MountUsage;
import io.execsim.core.io.Streams;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.core.sched.Scheduler;
import io.execsim.cri.ExecStreams;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Terminal execs on one node: the console socket, runc's pty, the shim's console copy and ResizePty. */
class TerminalExecTest {
  /** Prints its terminal's size once it has one, then the size after the next resize, and exits 0. */
  static final Program WINDOW = ctx -> {
    ArrayDeque<TerminalSize> arrived = new ArrayDeque<>();
    ArrayDeque<CompletableFuture<TerminalSize>> waiting = new ArrayDeque<>();
    ctx.onResize(size -> {
      CompletableFuture<TerminalSize> w = waiting.poll();
      if (w != null) {
        w.complete(size);
      } else {
        arrived.add(size);
      }
    });
    Supplier<CompletionStage<TerminalSize>> nextResize = () -> {
      TerminalSize s = arrived.poll();
      if (s != null) {
        return CompletableFuture.completedFuture(s);
      }
      CompletableFuture<TerminalSize> w = new CompletableFuture<>();
      waiting.add(w);
      return w;
    };
    TerminalSize now = ctx.terminalSize().orElseThrow();
    CompletionStage<TerminalSize> first = now.width() > 0 ? CompletableFuture.completedFuture(now) : nextResize.get();
    return first.thenCompose(s -> show(ctx, s))
        .thenCompose(v -> nextResize.get())
        .thenCompose(s -> show(ctx, s))
        .thenApply(v -> 0);
  };

  private static final ContainerImage IMAGE = ContainerImage.busybox().withProgram("/usr/local/bin/window", WINDOW);

  private static CompletionStage<Void> show(ProcessContext ctx, TerminalSize size) {
    return ctx.print(size.width() + "x" + size.height() + "\n");
  }

  /** A terminal of 80x24 that the user widens to 120x40 a second later. */
  static TerminalSizeQueue widenedAfterASecond(Scheduler scheduler) {
    ArrayDeque<TerminalSize> sizes = new ArrayDeque<>(List.of(new TerminalSize(80, 24), new TerminalSize(120, 40)));
    boolean[] first = {true};
    return () -> {
      CompletionStage<Void> wait = first[0] ? CompletableFuture.completedFuture(null)
          : scheduler.sleep(Duration.ofSeconds(1));
      first[0] = false;
      return wait.thenApply(v -> Optional.ofNullable(sizes.poll()));
    };
  }

  private final SimNode node = SimNode.builder().seed(9).build();

  TerminalExecTest() {
    node.runContainer("app", IMAGE);
  }

  @AfterEach
  void nothingLeftBehind() {
    assertThat(node.leftovers()).isEmpty();
    assertThat(node.node().sockets().listening()).as("console sockets; containerd's and the shim's serve on")
        .allMatch(p -> p.startsWith("/run/containerd/"));
    node.close();
  }

  private CommandResult ctrTty(String execId, TerminalSizeQueue sizes, String... args) {
    return node.ctrExecTty("app", execId, SimNode.spec(IMAGE, args), sizes);
  }

  @Test
  void newlinesReachTheTerminalAsCarriageReturnNewline() {
    CommandResult r = ctrTty("t1", TerminalSizeQueue.of(new TerminalSize(80, 24)), "sh", "-c", "echo hi; echo there");

    assertThat(r.stdoutText()).isEqualTo("hi\r\nthere\r\n");
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void programSeesItsTerminalSizeAndAResize() {
    CommandResult r = ctrTty("t2", widenedAfterASecond(node.scheduler()), "window");

    assertThat(r.stdoutText()).isEqualTo("80x24\r\n120x40\r\n");
    assertThat(r.exitCode()).isZero();
    assertThat(node.clock().elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void sizeWithAZeroSideIsDroppedBeforeTheShim() {
    TerminalSizeQueue sizes = TerminalSizeQueue.of(new TerminalSize(0, 24), new TerminalSize(100, 30),
        new TerminalSize(100, 0), new TerminalSize(90, 20));

    CommandResult r = ctrTty("t3", sizes, "window");

    assertThat(r.stdoutText()).isEqualTo("100x30\r\n90x20\r\n");
  }

  @Test
  void stderrOfATerminalExecIsTheTerminalToo() {
    CommandResult r = ctrTty("t4", TerminalSizeQueue.of(), "sh", "-c", "echo out; echo err >&2; exit 3");

    assertThat(r.stdoutText()).isEqualTo("out\r\nerr\r\n");
    assertThat(r.exitCode()).isEqualTo(3);
  }

  @Test
  void missingBinaryFailsAsWithoutATerminal() {
    CommandResult r = ctrTty("t5", TerminalSizeQueue.of(), "nosuchbinary");

    assertThat(r.stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: unable to start container "
        + "process: exec: \"nosuchbinary\": executable file not found in $PATH: unknown\n");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void tmpWithoutInodesFailsAtTheConsoleSocket() {
    node.fill("/tmp", SimNode.Resource.INODES);

    CommandResult r = ctrTty("t6", TerminalSizeQueue.of(), "echo", "hi");

    assertThat(r.stderrText()).matches("ctr: failed to create runc console socket: "
        + "mkdir /tmp/pty[0-9]+: no space left on device: unknown\n");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void consoleSocketDirectoryIsGoneOnceTheExecStarted() {
    CompletableFuture<List<String>> seen = new CompletableFuture<>();
    ContainerImage probe = IMAGE.withProgram("/usr/local/bin/probe", ctx -> {
      seen.complete(node.node().fs().list("/tmp"));
      return CompletableFuture.completedFuture(0);
    });
    node.runContainer("probe", probe);

    node.ctrExecTty("probe", "t7", SimNode.spec(probe, "probe"), TerminalSizeQueue.of());

    assertThat(seen.join()).as("runc has sent the master while the socket still exists")
        .anyMatch(name -> name.matches("pty[0-9]+"));
    assertThat(node.node().fs().list("/tmp")).noneMatch(name -> name.startsWith("pty"));
  }

  @Test
  void tmpWithoutBlocksFailsAtTheProcessSpecAndRemovesTheSocketDirectory() {
    node.fill("/tmp", SimNode.Resource.BYTES);

    CommandResult r = ctrTty("t8", TerminalSizeQueue.of(), "echo", "hi");

    assertThat(r.stderrText()).matches("ctr: OCI runtime exec failed: "
        + "write /tmp/runc-process[0-9]+: no space left on device: unknown\n");
  }

  @Test
  void bindWithoutAnInodeLeavesTheNewDirectoryBehindAsGoRuncDoes() {
    MountUsage tmp = node.node().fs().usage("/tmp");
    node.node().fs().remount("/tmp", new MountSpec(tmp.spec().capacityBytes(), tmp.usedInodes() + 1, false));

    CommandResult r = ctrTty("t9", TerminalSizeQueue.of(), "echo", "hi");

    assertThat(r.stderrText()).matches("ctr: failed to create runc console socket: "
        + "listen unix /tmp/pty[0-9]+/pty.sock: bind: no space left on device: unknown\n");
    assertThat(node.leftovers()).singleElement().asString().matches("/tmp/pty[0-9]+");
    node.node().fs().removeAll(node.leftovers().get(0));
  }

  @Test
  void endOfClientInputOnATerminalDetachesTheOutputWhileTheProcessRunsOn() {
    Streams.Collector out = new Streams.Collector(Integer.MAX_VALUE);
    ExecStreams streams = ExecStreams.terminal(Optional.of(Streams.empty()), out, TerminalSizeQueue.of());

    int code = node.scheduler().await(node.containerd().execInContainer("app",
        List.of("sh", "-c", "sleep 1; echo late; exit 4"), streams, Duration.ZERO));

    assertThat(code).as("containerd still waits for the exit").isEqualTo(4);
    assertThat(out.bytes()).as("output after the input ended is not copied").isEmpty();
    assertThat(out.isClosed()).isTrue();
  }
}
