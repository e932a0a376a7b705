package io.execsim.core.io;

import java.util.concurrent.CompletionStage;

/** The writing end of a byte stream: a pipe, a FIFO, a process's stdout or stderr. */
public interface ByteSink {

  /**
   * Writes all of {@code data}. The stage completes once every byte is accepted (a full pipe holds the writer
   * back), or fails with a {@link io.execsim.core.error.GoError} such as a broken pipe.
   */
  CompletionStage<Void> write(byte[] data);

  /** Closes this end; readers see end of stream once the last writer closed. Closing twice does nothing. */
  void close();
}
