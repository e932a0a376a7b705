package io.execsim.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.Errno;
import io.execsim.core.fault.LinkName;
import io.execsim.core.fs.MountSpec;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import io.execsim.core.net.toxic.Bandwidth;
import io.execsim.core.net.toxic.HalfClose;
import io.execsim.core.net.toxic.Latency;
import io.execsim.core.net.toxic.LimitData;
import io.execsim.core.net.toxic.Reset;
import io.execsim.core.net.toxic.Slicer;
import io.execsim.core.net.toxic.Stall;
import io.execsim.core.node.Node;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.execsim.core.trace.TraceEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The toxics on an exec's FIFO: what the reader reads, when, and what the writers see. */
class FifoWayTest {
  private static final String FIFO = "/run/io/1/e1-stdout";

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("node-1", scheduler, new SimRandom(7), new Trace(scheduler));
  private final NodeHooks hooks = NodeHooks.of(node);
  private final List<String> opened = new ArrayList<>();
  private final FifoWay way;
  private final ByteSource reader;
  private final ByteSink writer;
  private final List<Read> reads = new ArrayList<>();

  /** What a read returned, and when. */
  private record Read(Duration at, String text) {
  }

  FifoWayTest() {
    node.fs().mount("/run", MountSpec.unlimited());
    node.fs().mkdirAll("/run/io/1", 0700);
    node.fs().mkfifo(FIFO, 0700);
    hooks.onExecFifo((container, exec, stream, w) -> opened.add(container + " " + exec + " " + stream.label()));
    way = hooks.openExecFifo("c1", "e1", LinkName.STDOUT, FIFO);
    reader = node.fs().openFifoReader(FIFO);
    writer = way.writer(node.fs().openFifoWriter(FIFO));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Reads until end of file, noting each read; completes with everything read. */
  private CompletableFuture<String> readAll() {
    CompletableFuture<String> done = new CompletableFuture<>();
    readNext(new ByteArrayOutputStream(), done);
    return done;
  }

  private void readNext(ByteArrayOutputStream all, CompletableFuture<String> done) {
    reader.read(Pipe.DEFAULT_CAPACITY).whenComplete((chunk, e) -> {
      if (e != null) {
        done.completeExceptionally(e);
      } else if (chunk.isEmpty()) {
        done.complete(all.toString(StandardCharsets.UTF_8));
      } else {
        String text = new String(chunk.get(), StandardCharsets.UTF_8);
        reads.add(new Read(scheduler.elapsed(), text));
        all.writeBytes(chunk.get());
        readNext(all, done);
      }
    });
  }

  @Test
  void listenerHearsOfTheFifoAsItOpens() {
    assertThat(opened).containsExactly("c1 e1 stdout");
    assertThat(hooks.execFifo(FIFO)).containsSame(way);
    assertThat(hooks.execFifos("c1", LinkName.STDOUT)).containsExactly(way);
    assertThat(way.isOpen()).isTrue();
  }

  @Test
  void withoutToxicsAFullBufferStillHoldsTheWriterBack() {
    CompletableFuture<Void> write = writer.write(new byte[Pipe.DEFAULT_CAPACITY + 1]).toCompletableFuture();
    scheduler.runUntilIdle();
    assertThat(write).isNotDone();

    scheduler.await(reader.read(10));
    scheduler.runUntilIdle();

    assertThat(write).isDone();
    assertThat(way.bytesSent()).isEqualTo(Pipe.DEFAULT_CAPACITY + 1);
  }

  @Test
  void latencyDelaysEachWriteAndTheEnd() {
    way.add(new Latency(Duration.ofSeconds(2), Duration.ZERO), 0);
    CompletableFuture<String> all = readAll();

    writer.write(bytes("one "));
    scheduler.advance(Duration.ofSeconds(1));
    writer.write(bytes("two"));
    writer.close();

    assertThat(scheduler.await(all)).isEqualTo("one two");
    assertThat(reads).containsExactly(new Read(Duration.ofSeconds(2), "one "), new Read(Duration.ofSeconds(3), "two"));
    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void stallHoldsBytesAndEndUntilRemovedThenTheyFlowInOrder() {
    ActiveToxic stall = way.add(new Stall(), 0);
    CompletableFuture<String> all = readAll();
    CompletableFuture<Void> write = writer.write(bytes("hi\n")).toCompletableFuture();
    writer.close();
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(reads).isEmpty();
    assertThat(write).as("the way took the write").isCompleted();

    stall.remove();

    assertThat(scheduler.await(all)).isEqualTo("hi\n");
    assertThat(reads).containsExactly(new Read(Duration.ofSeconds(10), "hi\n"));
    assertThat(node.trace().events()).extracting(TraceEvent::phase, TraceEvent::hop, TraceEvent::detail)
        .contains(org.assertj.core.groups.Tuple.tuple(Phase.FAULT_FIRED, Hop.SHIM, "stall on e1-stdout at byte 0"));
  }

  @Test
  void bandwidthPacesTheBytes() {
    way.add(new Bandwidth(100), 0);
    CompletableFuture<String> all = readAll();

    writer.write(new byte[25]);
    writer.close();

    assertThat(scheduler.await(all)).hasSize(25);
    // pieces of a tenth of a second's worth: 10, 10, 5 bytes
    assertThat(reads).extracting(Read::at)
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
  }

  @Test
  void slicerCutsAWriteIntoPieces() {
    way.add(new Slicer(4, 0, Duration.ofMillis(10)), 0);
    CompletableFuture<String> all = readAll();

    writer.write(bytes("0123456789"));
    writer.close();

    assertThat(scheduler.await(all)).isEqualTo("0123456789");
    assertThat(reads).containsExactly(new Read(Duration.ZERO, "0123"), new Read(Duration.ofMillis(10), "4567"),
        new Read(Duration.ofMillis(20), "89"));
  }

  @Test
  void limitDataEndsTheStreamForTheReaderAndBreaksItForTheWriter() {
    way.add(new LimitData(3), 0);
    CompletableFuture<String> all = readAll();

    CompletableFuture<Void> first = writer.write(bytes("y\ny\ny\n")).toCompletableFuture();

    assertThat(scheduler.await(all)).isEqualTo("y\ny");
    assertThat(first).isCompleted();
    assertThatThrownBy(() -> scheduler.await(writer.write(bytes("y\n"))))
        .isInstanceOf(Errno.ErrnoError.class).hasMessage("broken pipe");
    assertThat(way.isOpen()).isFalse();
  }

  @Test
  void halfCloseEndsTheStreamAtItsOffsetWhileAnotherWriterHoldsTheFifo() {
    ByteSink keeper = way.writer(node.fs().openFifoWriter(FIFO));
    way.add(new HalfClose(), 6);
    CompletableFuture<String> all = readAll();

    writer.write(bytes("hello\nworld\n"));

    assertThat(scheduler.await(all)).isEqualTo("hello\n");
    CompletableFuture<Void> late = writer.write(bytes("lost")).toCompletableFuture();
    scheduler.runUntilIdle();
    assertThat(late).as("later bytes are lost without an error").isCompleted();
    keeper.close();
    writer.close();
    assertThat(scheduler.await(reader.read(10))).isEqualTo(Optional.empty());
  }

  @Test
  void endOfStreamWaitsForTheLastWriterAndForWhatIsHeld() {
    ByteSink keeper = way.writer(node.fs().openFifoWriter(FIFO));
    ActiveToxic stall = way.add(new Stall(), 0);
    CompletableFuture<String> all = readAll();
    writer.write(bytes("abc"));
    writer.close();
    scheduler.runUntilIdle();
    stall.remove();
    scheduler.runUntilIdle();
    assertThat(all).as("the keeper still holds the FIFO open").isNotDone();

    keeper.close();

    assertThat(scheduler.await(all)).isEqualTo("abc");
  }

  @Test
  void resetHasNoConnectionToActOn() {
    assertThatThrownBy(() -> way.add(new Reset(), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a FIFO has no connection to reset: e1-stdout");
  }

  @Test
  void closingTheSetDropsWhatTheToxicsHoldAndLetsWritesThrough() {
    way.add(new Stall(), 0);
    writer.write(bytes("held"));
    scheduler.runUntilIdle();

    way.close();
    writer.write(bytes("after"));
    writer.close();

    assertThat(scheduler.await(readAll())).isEqualTo("after");
    assertThat(hooks.execFifo(FIFO)).isEmpty();
    assertThat(way.toxics()).isEmpty();
    assertThatThrownBy(() -> way.add(new Stall(), 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void watchRunsBeforeTheWriteThatCarriesItsByteSoAToxicActsFromThere() {
    way.whenSent(4, () -> way.add(new Stall(), 4));
    CompletableFuture<String> all = readAll();

    writer.write(bytes("abcdefgh"));
    scheduler.runUntilIdle();

    assertThat(reads).extracting(Read::text).containsExactly("abcd");
    way.toxics().get(0).remove();
    writer.close();
    assertThat(scheduler.await(all)).isEqualTo("abcdefgh");
  }
}
