package io.execsim.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.GoError;
import io.execsim.core.process.Signal;
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
  void typedLinesReachTheProgramWholeWithReturnAsNewlineAndAreEchoed() {
    scheduler.await(pty.masterInput().write(bytes("ech")));
    scheduler.await(pty.masterInput().write(bytes("o hi\rls\n")));

    assertThat(text(scheduler.await(pty.slaveInput().read(100)))).isEqualTo("echo hi\n");
    assertThat(text(scheduler.await(pty.slaveInput().read(100)))).isEqualTo("ls\n");
    assertThat(text(scheduler.await(pty.masterOutput().read(100)))).isEqualTo("echo hi\r\nls\r\n");
  }

  @Test
  void aLineWithoutItsEndIsNotHandedOver() {
    scheduler.await(pty.masterInput().write(bytes("partial")));

    CompletableFuture<Optional<byte[]>> read = pty.slaveInput().read(100).toCompletableFuture();
    scheduler.runUntilIdle();
    assertThat(read).isNotDone();
    scheduler.await(pty.masterInput().write(bytes("\n")));
    assertThat(text(scheduler.await(read))).isEqualTo("partial\n");
  }

  @Test
  void eraseCharactersEditTheLineAndRubItOut() {
    scheduler.await(pty.masterInput().write(bytes("lx\u007fs -l foo\u0017bar\u0001\u007f\n")));
    scheduler.await(pty.masterInput().write(bytes("gone\u0015kept\n")));

    assertThat(text(scheduler.await(pty.slaveInput().read(100)))).isEqualTo("ls -l bar\n");
    assertThat(text(scheduler.await(pty.slaveInput().read(100)))).isEqualTo("kept\n");
    assertThat(text(scheduler.await(pty.masterOutput().read(200)))).isEqualTo(
        "lx\b \bs -l foo\b \b\b \b\b \bbar^A\b \b\b \b\r\n"
            + "gone\b \b\b \b\b \b\b \bkept\r\n");
  }

  @Test
  void controlCharactersEchoAsCaretAndLetter() {
    scheduler.await(pty.masterInput().write(bytes("a\u001bb\tc\n")));

    assertThat(text(scheduler.await(pty.slaveInput().read(100)))).isEqualTo("a\u001bb\tc\n");
    assertThat(text(scheduler.await(pty.masterOutput().read(100)))).isEqualTo("a^[b\tc\r\n");
  }

  @Test
  void interruptAndQuitRaiseSignalsAndDropTheLineBeingTyped() {
    List<Signal> raised = new ArrayList<>();
    pty.onSignal(raised::add);

    scheduler.await(pty.masterInput().write(bytes("unread\nsleep 9\u0003ok\u001c\n")));
    scheduler.runUntilIdle();

    assertThat(raised).containsExactly(Signal.SIGINT, Signal.SIGQUIT);
    assertThat(text(scheduler.await(pty.slaveInput().read(100)))).as("unread lines are flushed too").isEqualTo("\n");
    assertThat(text(scheduler.await(pty.masterOutput().read(100)))).isEqualTo("unread\r\nsleep 9^Cok^\\\r\n");
  }

  @Test
  void controlDHandsOverTheLineWithoutItselfAndOnAnEmptyLineReadsAsEndOfFileOnce() {
    scheduler.await(pty.masterInput().write(bytes("abc\u0004\u0004")));

    assertThat(text(scheduler.await(pty.slaveInput().read(100)))).isEqualTo("abc");
    assertThat(scheduler.await(pty.slaveInput().read(100))).isEmpty();
    assertThat(text(scheduler.await(pty.masterOutput().read(100)))).isEqualTo("abc");
    scheduler.await(pty.masterInput().write(bytes("more\n")));
    assertThat(text(scheduler.await(pty.slaveInput().read(100)))).as("a terminal reads on after ^D")
        .isEqualTo("more\n");
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
