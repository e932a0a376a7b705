package io.execsim.core.spdy;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The other end of a session under test, frame by frame: an independent Netty SPDY/3.1 codec that encodes the frames
 * a test sends into the session's channel and decodes the bytes the session wrote into plain {@link Frame} values.
 */
final class FramePeer implements AutoCloseable {
  private final EmbeddedChannel session;
  // Chunks as large as a frame can be, so that each DATA frame decodes as the one frame it was on the wire.
  private final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1, 1 << 24,
      16 * 1024, 6, 15, 8));

  /** A peer of the channel whose pipeline holds the session under test. */
  FramePeer(EmbeddedChannel session) {
    this.session = session;
  }

  /** The channel of the session under test. */
  EmbeddedChannel channel() {
    return session;
  }

  /** Encodes {@code frame} and delivers its bytes to the session. */
  void send(SpdyFrame frame) {
    codec.writeOutbound(frame);
    for (Object bytes; (bytes = codec.readOutbound()) != null; ) {
      session.writeInbound(bytes);
    }
  }

  /** Decodes every frame the session wrote since the last call. */
  List<Frame> received() {
    for (Object bytes; (bytes = session.readOutbound()) != null; ) {
      codec.writeInbound(bytes);
    }
    List<Frame> out = new ArrayList<>();
    for (Object f; (f = codec.readInbound()) != null; ) {
      try {
        out.add(Frame.of(f));
      } finally {
        ReferenceCountUtil.release(f);
      }
    }
    return out;
  }

  @Override
  public void close() {
    session.finishAndReleaseAll();
    codec.finishAndReleaseAll();
  }

  /**
   * A decoded frame, as plain values.
   *
   * @param type SYN_STREAM, SYN_REPLY, DATA, RST_STREAM, PING or GOAWAY
   * @param id the stream id; the ping id for PING; the last good stream id for GOAWAY
   * @param last whether FIN is set
   * @param headers the header block of SYN_STREAM and SYN_REPLY
   * @param data the payload of DATA, as text
   * @param status the status code of RST_STREAM and GOAWAY
   */
  record Frame(String type, int id, boolean last, Map<String, List<String>> headers, String data, int status) {

    static Frame of(Object f) {
      if (f instanceof SpdyDataFrame d) {
        return new Frame("DATA", d.streamId(), d.isLast(), Map.of(),
            new String(ByteBufUtil.getBytes(d.content()), StandardCharsets.ISO_8859_1), 0);
      }
      if (f instanceof SpdySynStreamFrame s) {
        return new Frame("SYN_STREAM", s.streamId(), s.isLast(), headers(s), "", 0);
      }
      if (f instanceof SpdySynReplyFrame r) {
        return new Frame("SYN_REPLY", r.streamId(), r.isLast(), headers(r), "", 0);
      }
      if (f instanceof SpdyRstStreamFrame r) {
        return new Frame("RST_STREAM", r.streamId(), false, Map.of(), "", r.status().code());
      }
      if (f instanceof SpdyPingFrame p) {
        return new Frame("PING", p.id(), false, Map.of(), "", 0);
      }
      if (f instanceof SpdyGoAwayFrame g) {
        return new Frame("GOAWAY", g.lastGoodStreamId(), false, Map.of(), "", g.status().code());
      }
      return new Frame(f.getClass().getSimpleName(), 0, false, Map.of(), "", 0);
    }

    private static Map<String, List<String>> headers(SpdyHeadersFrame frame) {
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (Map.Entry<CharSequence, CharSequence> e : frame.headers()) {
        out.computeIfAbsent(e.getKey().toString(), k -> new ArrayList<>()).add(e.getValue().toString());
      }
      return out;
    }

    @Override
    public String toString() {
      return type + "(" + id + (last ? ", FIN" : "") + (headers.isEmpty() ? "" : ", " + headers)
          + (data.isEmpty() ? "" : ", " + data.length() + " bytes") + (status == 0 ? "" : ", status " + status) + ")";
    }
  }
}
