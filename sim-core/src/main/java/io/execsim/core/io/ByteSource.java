package io.execsim.core.io;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The reading end of a byte stream: a pipe, a FIFO, a process's stdin. */
public interface ByteSource {

  /**
   * Reads at most {@code maxBytes} bytes. The stage completes with the bytes once some are there, with an empty
   * optional at end of stream, or fails with a {@link io.execsim.core.error.GoError}.
   */
  CompletionStage<Optional<byte[]>> read(int maxBytes);

  /** Closes this end. Writers of a pipe with no reader left get {@code EPIPE}. Closing twice does nothing. */
  void close();
}
