package io.execsim.core.spdy;

import io.execsim.core.error.GoError;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One stream of a {@link SpdySession}, as spdystream's {@code Stream}: the headers it was opened with, its reply, the
 * DATA the peer sent ({@link #source()}) and the DATA this side sends ({@link #sink()}).
 *
 * <p>Runs on the simulation's thread, like its session. Reads complete in scheduler tasks of their own. The source
 * ends at the peer's FIN, at a reset from either side, and when the connection ends. Closing the sink sends an empty
 * DATA frame with FIN; closing it twice does nothing. Resetting sends RST_STREAM(CANCEL) unless this side has already
 * finished the stream, as spdystream does.
 */
public final class SpdyStream {
  private final SpdySession session;
  private final int id;
  private final boolean local;
  private final Map<String, List<String>> headers;
  private final CompletableFuture<Void> replied = new CompletableFuture<>();
  private final ArrayDeque<byte[]> received = new ArrayDeque<>();
  private final ArrayDeque<PendingRead> reads = new ArrayDeque<>();
  private final Source source = new Source();
  private final Sink sink = new Sink();
  private int headOffset;
  private boolean remoteFinished;
  private boolean localFinished;
  private boolean reset;
  private boolean sourceClosed;

  SpdyStream(SpdySession session, int id, boolean local, Map<String, List<String>> headers) {
    this.session = session;
    this.id = id;
    this.local = local;
    this.headers = Map.copyOf(headers);
  }

  /** The stream id: odd when the client opened it, even when the server did. */
  public int id() {
    return id;
  }

  /** Whether this side opened the stream. */
  public boolean isLocal() {
    return local;
  }

  /** The headers the stream was opened with, names in lower case as they travel. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of header {@code name}, which matches whatever its case. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * Completes once the stream is replied to: when the peer's SYN_REPLY arrives for a stream this side opened, when
   * {@link #reply} sent it for one the peer opened. Fails with {@code Stream reset} if the stream is reset first.
   */
  public CompletionStage<Void> replied() {
    return replied;
  }

  /**
   * Accepts a stream the peer opened with a SYN_REPLY carrying {@code replyHeaders}; a second reply does nothing.
   *
   * @throws IllegalArgumentException when {@code replyHeaders} is empty: kubectl's parser fails on an empty header
   *     block and then waits 30 s for the reply
   */
  public void reply(Map<String, String> replyHeaders) {
    if (local) {
      throw new IllegalStateException("cannot reply on initiated stream: " + id);
    }
    if (replyHeaders.isEmpty()) {
      throw new IllegalArgumentException("a SYN_REPLY needs at least one header: stream " + id);
    }
    if (replied.isDone()) {
      return;
    }
    session.sendReply(id, replyHeaders);
    replied.complete(null);
  }

  /** What the peer sends on this stream, read to its end. */
  public ByteSource source() {
    return source;
  }

  /** Where this side's DATA for the stream goes; closing it half-closes the stream with FIN. */
  public ByteSink sink() {
    return sink;
  }

  /** Resets the stream: readers see its end, and the peer gets RST_STREAM(CANCEL) unless this side finished it. */
  public void reset() {
    endRemote();
    reset = true;
    failReply();
    if (!localFinished) {
      localFinished = true;
      session.sendReset(id);
    }
    session.streamChanged();
  }

  /** Whether both sides are done with the stream, by FIN in both directions or by a reset. */
  boolean isDone() {
    return reset || localFinished && remoteFinished;
  }

  boolean isReplied() {
    return replied.isDone() && !replied.isCompletedExceptionally();
  }

  boolean isLocallyFinished() {
    return localFinished;
  }

  void onReply(boolean fin) {
    if (replied.isDone()) {
      return;
    }
    replied.complete(null);
    if (fin) {
      endRemote();
    }
  }

  void onData(byte[] data, boolean fin) {
    if (data.length > 0 && !remoteFinished && !sourceClosed) {
      received.add(data);
      deliver();
    }
    if (fin) {
      endRemote();
    }
  }

  void onReset() {
    endRemote();
    reset = true;
    localFinished = true;
    failReply();
  }

  /** The peer opened the stream with FIN: it sends nothing on it. */
  void onOpenedFinished() {
    endRemote();
  }

  /** The connection ended: nothing more arrives. A reply still awaited is left waiting, as in spdystream. */
  void onConnectionEnd() {
    endRemote();
  }

  void finishLocally() {
    localFinished = true;
  }

  private void failReply() {
    if (!replied.isDone()) {
      replied.completeExceptionally(GoError.of("Stream reset"));
    }
  }

  private void endRemote() {
    if (!remoteFinished) {
      remoteFinished = true;
      deliver();
    }
  }

  private void deliver() {
    while (!reads.isEmpty() && (!received.isEmpty() || remoteFinished || sourceClosed)) {
      PendingRead r = reads.poll();
      Optional<byte[]> chunk = received.isEmpty() ? Optional.empty() : Optional.of(take(r.maxBytes));
      session.scheduler().execute(() -> r.future.complete(chunk));
    }
  }

  // A read never spans two DATA frames, as spdystream's Read does not.
  private byte[] take(int maxBytes) {
    byte[] head = received.peek();
    int n = Math.min(maxBytes, head.length - headOffset);
    byte[] out = Arrays.copyOfRange(head, headOffset, headOffset + n);
    headOffset += n;
    if (headOffset == head.length) {
      received.poll();
      headOffset = 0;
    }
    return out;
  }

  private static final class PendingRead {
    final int maxBytes;
    final CompletableFuture<Optional<byte[]>> future = new CompletableFuture<>();

    PendingRead(int maxBytes) {
      this.maxBytes = maxBytes;
    }
  }

  private final class Source implements ByteSource {
    @Override
    public CompletionStage<Optional<byte[]>> read(int maxBytes) {
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
      }
      PendingRead r = new PendingRead(maxBytes);
      reads.add(r);
      deliver();
      return r.future;
    }

    @Override
    public void close() {
      sourceClosed = true;
      received.clear();
      headOffset = 0;
      deliver();
    }
  }

  private final class Sink implements ByteSink {
    @Override
    public CompletionStage<Void> write(byte[] data) {
      // spdystream holds a writer back until the reply went out; here that is the caller's mistake.
      if (!local && !replied.isDone()) {
        throw new IllegalStateException("write before the reply on stream " + id);
      }
      if (!session.isOpen()) {
        return CompletableFuture.failedFuture(SpdySession.closedConnection());
      }
      // Like spdystream, DATA after a reset or FIN still goes out; the peer drops it.
      for (int from = 0; from < data.length; from += SpdySession.MAX_DATA_FRAME) {
        int to = Math.min(data.length, from + SpdySession.MAX_DATA_FRAME);
        session.sendData(id, data, from, to - from, false);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
      if (localFinished) {
        return;
      }
      if (!local && !replied.isDone()) {
        throw new IllegalStateException("FIN before the reply on stream " + id);
      }
      localFinished = true;
      session.sendData(id, new byte[0], 0, 0, true);
      session.streamChanged();
    }
  }
}
