package io.execsim.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.sched.DeterministicScheduler;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PipeTest {
  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Pipe pipe = new Pipe(scheduler);

  @Test
  void fullBufferHoldsTheWriterBackUntilRead() {
    ByteSource reader = pipe.openReader();
    ByteSink writer = pipe.openWriter();

    CompletableFuture<Void> write = writer.write(new byte[Pipe.DEFAULT_CAPACITY + 1]).toCompletableFuture();
    scheduler.runUntilIdle();
    assertThat(write).isNotDone();
    assertThat(pipe.buffered()).isEqualTo(Pipe.DEFAULT_CAPACITY);

    scheduler.await(reader.read(10));
    scheduler.runUntilIdle();
    assertThat(write).isDone();
  }

  @Test
  void readerSeesEndOfStreamOnceTheLastWriterCloses() {
    ByteSource reader = pipe.openReader();
    ByteSink first = pipe.openWriter();
    ByteSink second = pipe.openWriter();

    first.close();
    CompletableFuture<Optional<byte[]>> read = reader.read(10).toCompletableFuture();
    scheduler.runUntilIdle();
    assertThat(read).isNotDone();

    second.close();
    assertThat(scheduler.await(read)).isEmpty();
  }

  @Test
  void writerGetsBrokenPipeWhenTheReaderIsGone() {
    ByteSource reader = pipe.openReader();
    ByteSink writer = pipe.openWriter();

    reader.close();

    assertThatThrownBy(() -> scheduler.await(writer.write(new byte[] {1})))
        .isInstanceOf(GoError.class)
        .hasMessage(Errno.EPIPE.text());
  }

  @Test
  void writeWaitsForAReaderToOpen() {
    ByteSink writer = pipe.openWriter();
    CompletableFuture<Void> write = writer.write(new byte[] {1, 2}).toCompletableFuture();
    scheduler.runUntilIdle();
    assertThat(write).isNotDone();

    ByteSource reader = pipe.openReader();

    assertThat(scheduler.await(reader.read(10))).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2));
  }

  @Test
  void copyMovesEverythingAndCountsIt() {
    byte[] data = new byte[1 << 20];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Streams.Collector sink = new Streams.Collector(Integer.MAX_VALUE);
    ByteSink writer = pipe.openWriter();
    ByteSource reader = pipe.openReader();
    Streams.copy(Streams.of(data), writer, 4096).thenRun(writer::close);

    long copied = scheduler.await(Streams.copy(reader, sink, 4096));

    assertThat(copied).isEqualTo(data.length);
    assertThat(sink.bytes()).isEqualTo(data);
  }
}
