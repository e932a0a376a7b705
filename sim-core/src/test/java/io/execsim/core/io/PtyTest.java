package io.execsim.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.GoError;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.sched.DeterministicScheduler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PtyTest {
  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Pty pty = Pty.open(scheduler, new TerminalSize(0, 0));

  @Test
  void newlinesTheProgramWritesReadAsCarriageReturnNewlineOnTheMaster() {
    scheduler.await(pty.slaveOutput().write(bytes("one\ntwo\n\n")));

    assertThat(text(scheduler.await(pty.masterOutput().read(100)))).isEqualTo("one\r\ntwo\r\n\r\n");
  }

  @Test
  void inputReachesTheProgramUnchanged() {
    scheduler.await(pty.masterInput().write(bytes("ls\r\n")));

    assertThat(text(scheduler.await(pty.slaveInput().read(100)))).isEqualTo("ls\r\n");
  }

  @Test
  void closingTheMastersInputEndsTheProgramsInput() {
    pty.masterInput().write(bytes("last"));
    pty.masterInput().close();

    assertThat(text(scheduler.await(pty.slaveInput().read(100)))).isEqualTo("last");
    assertThat(scheduler.await(pty.slaveInput().read(100))).isEmpty();
  }

  @Test
  void masterReadsEndOfStreamAfterTheBufferOnceTheSlaveIsClosed() {
    pty.slaveOutput().write(bytes("bye\n"));
    pty.slaveOutput().close();

    assertThat(text(scheduler.await(pty.masterOutput().read(100)))).isEqualTo("bye\r\n");
    assertThat(scheduler.await(pty.masterOutput().read(100))).isEmpty();
  }

  @Test
  void programWritesFailWithEioOnceTheMasterIsClosed() {
    pty.closeMaster();

    assertThatThrownBy(() -> scheduler.await(pty.slaveOutput().write(bytes("x"))))
        .isInstanceOf(GoError.class).hasMessage("input/output error");
  }

  @Test
  void resizeCallsListenersInTasksOfTheirOwnAndOnlyOnAChange() {
    List<TerminalSize> seen = new ArrayList<>();
    pty.onResize(seen::add);

    pty.resize(new TerminalSize(80, 24));
    assertThat(seen).as("not inside the resize call").isEmpty();
    scheduler.runUntilIdle();
    pty.resize(new TerminalSize(80, 24));
    pty.resize(new TerminalSize(120, 40));
    scheduler.runUntilIdle();

    assertThat(seen).containsExactly(new TerminalSize(80, 24), new TerminalSize(120, 40));
    assertThat(pty.size()).isEqualTo(new TerminalSize(120, 40));
  }

  @Test
  void freshPtyHasTheSizeItWasOpenedWith() {
    assertThat(Pty.open(scheduler, new TerminalSize(100, 30)).size()).isEqualTo(new TerminalSize(100, 30));
    assertThat(pty.size()).isEqualTo(new TerminalSize(0, 0));
  }

  @Test
  void programWriteWaitsWhileTheMasterDoesNotRead() {
    CompletableFuture<Void> big = pty.slaveOutput().write(new byte[Pipe.DEFAULT_CAPACITY + 1]).toCompletableFuture();
    scheduler.runUntilIdle();
    assertThat(big).isNotDone();

    scheduler.await(pty.masterOutput().read(Pipe.DEFAULT_CAPACITY));
    scheduler.runUntilIdle();
    assertThat(big).isDone();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Optional<byte[]> chunk) {
    return new String(chunk.orElseThrow(), StandardCharsets.UTF_8);
  }
}
