package io.execsim.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.GoError;
import io.execsim.core.fs.FileType;
import io.execsim.core.fs.MountSpec;
import io.execsim.core.io.Pty;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.rpc.CallServer;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Trace;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class UnixSocketsTest {
  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("n", scheduler, new SimRandom(1), new Trace(scheduler));

  UnixSocketsTest() {
    node.fs().mount("/tmp", MountSpec.tmpfs(1 << 20, 3));
    node.fs().mkdir("/tmp/pty1", 0700);
  }

  @Test
  void masterSentOnTheSocketIsReceivedThere() {
    UnixListener listener = node.sockets().listen("/tmp/pty1/pty.sock");
    Pty pty = Pty.open(scheduler, new TerminalSize(0, 0));

    CompletableFuture<Pty> received = listener.receiveMaster().toCompletableFuture();
    node.sockets().sendMaster("/tmp/pty1/pty.sock", pty);

    assertThat(scheduler.await(received)).isSameAs(pty);
    assertThat(node.fs().stat("/tmp/pty1/pty.sock").type()).isEqualTo(FileType.SOCKET);
  }

  @Test
  void bindOnAMountWithoutInodesFailsWithGosText() {
    node.fs().mkdir("/tmp/full", 0700);

    assertThatThrownBy(() -> node.sockets().listen("/tmp/full/pty.sock"))
        .isInstanceOf(GoError.class)
        .hasMessage("listen unix /tmp/full/pty.sock: bind: no space left on device");
  }

  @Test
  void dialFailsWithoutFileOrWithoutListener() {
    Pty pty = Pty.open(scheduler, new TerminalSize(0, 0));
    assertThatThrownBy(() -> node.sockets().sendMaster("/tmp/pty1/pty.sock", pty))
        .hasMessage("dial unix /tmp/pty1/pty.sock: connect: no such file or directory");

    node.fs().writeFile("/tmp/pty1/pty.sock", new byte[0], 0644);
    assertThatThrownBy(() -> node.sockets().sendMaster("/tmp/pty1/pty.sock", pty))
        .hasMessage("dial unix /tmp/pty1/pty.sock: connect: connection refused");
  }

  @Test
  void closingTheListenerRemovesItsFileAndFailsAWaitingReceive() {
    UnixListener listener = node.sockets().listen("/tmp/pty1/pty.sock");
    CompletableFuture<Pty> waiting = listener.receiveMaster().toCompletableFuture();

    listener.close();

    assertThatThrownBy(() -> scheduler.await(waiting))
        .hasMessage("accept unix /tmp/pty1/pty.sock: use of closed network connection");
    assertThat(node.fs().exists("/tmp/pty1/pty.sock")).isFalse();
    assertThat(node.sockets().listening()).isEmpty();
  }

  @Test
  void bindOnAnExistingPathIsAddressInUse() {
    node.sockets().listen("/tmp/pty1/pty.sock");

    assertThatThrownBy(() -> node.sockets().listen("/tmp/pty1/pty.sock"))
        .hasMessage("listen unix /tmp/pty1/pty.sock: bind: address already in use");
  }

  @Test
  void servedSocketHandsItsServerToWhoeverDialsIt() {
    CallServer<String> server = new CallServer<>(scheduler, "containerd");
    node.fs().mkdir("/sock", 0711);
    node.sockets().serve("/sock/containerd.sock", server);

    assertThat(node.sockets().dial("/sock/containerd.sock")).isSameAs(server);
    assertThat(node.fs().stat("/sock/containerd.sock").type()).isEqualTo(FileType.SOCKET);
  }

  @Test
  void abandonedSocketKeepsItsFileAndRefusesWhileAClosedOneIsGone() {
    node.fs().mkdir("/sock", 0711);
    UnixListener killed = node.sockets().serve("/sock/a.sock", new CallServer<>(scheduler, "a"));
    UnixListener stopped = node.sockets().serve("/sock/b.sock", new CallServer<>(scheduler, "b"));

    killed.abandon();
    stopped.close();

    assertThatThrownBy(() -> node.sockets().dial("/sock/a.sock"))
        .hasMessage("dial unix /sock/a.sock: connect: connection refused");
    assertThatThrownBy(() -> node.sockets().dial("/sock/b.sock"))
        .hasMessage("dial unix /sock/b.sock: connect: no such file or directory");
  }
}
