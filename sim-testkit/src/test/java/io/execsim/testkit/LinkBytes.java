package io.execsim.testkit;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of one direction of a connection, decoded from outside the simulation with Netty's own codecs on fresh
 * embedded channels: the HTTP head with {@link HttpRequestDecoder} or {@link HttpResponseDecoder}, then the upgraded
 * protocol with one {@link SpdyFrameCodec} for the whole direction (its zlib context spans the connection) or one
 * {@link WebSocket13FrameDecoder}. Every decoded message is copied into a plain record and released at once, so that
 * assertions hold no Netty buffers. Bytes that do not decode, or a frame cut short at the end, fail the decoding.
 */
final class LinkBytes {
  private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_FRAME = 1 << 26;

  private LinkBytes() {
  }

  /** Where the HTTP head ends: just past its empty line. */
  static int headLength(byte[] bytes) {
    for (int i = 0; i + END_OF_HEAD.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + END_OF_HEAD.length, END_OF_HEAD, 0, END_OF_HEAD.length)) {
        return i + END_OF_HEAD.length;
      }
    }
    throw new AssertionError("Expecting an HTTP head ending in an empty line but found none in "
        + bytes.length + " bytes");
  }

  /** The bytes after the HTTP head: the upgraded protocol. */
  static byte[] afterHead(byte[] bytes) {
    return Arrays.copyOfRange(bytes, headLength(bytes), bytes.length);
  }

  /** The request head at the start of {@code clientBytes}. */
  static HttpRequest requestHead(byte[] clientBytes) {
    EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder());
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(clientBytes, 0, headLength(clientBytes)));
      Object first = ch.readInbound();
      if (!(first instanceof HttpRequest request) || request.decoderResult().isFailure()) {
        throw new AssertionError("Expecting an HTTP request head but decoded " + first);
      }
      return request;
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /** The response head at the start of {@code serverBytes}, such as a {@code 101}. */
  static HttpResponse responseHead(byte[] serverBytes) {
    EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseDecoder());
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(serverBytes, 0, headLength(serverBytes)));
      Object first = ch.readInbound();
      if (!(first instanceof HttpResponse response) || response.decoderResult().isFailure()) {
        throw new AssertionError("Expecting an HTTP response head but decoded " + first);
      }
      return response;
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /**
   * A whole response that is not an upgrade, its body read by its length or, without one, up to the end of the
   * connection.
   */
  static Reply response(byte[] serverBytes) {
    EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(MAX_FRAME));
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(serverBytes));
      // the end of the connection ends a body that has no length
      ch.finish();
      Object first = ch.readInbound();
      if (!(first instanceof FullHttpResponse full) || full.decoderResult().isFailure()) {
        ReferenceCountUtil.release(first);
        throw new AssertionError("Expecting a whole HTTP response but decoded " + first);
      }
      try {
        HttpResponse head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers().copy());
        return new Reply(head, ByteBufUtil.getBytes(full.content()));
      } finally {
        full.release();
      }
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /**
   * A response and its body.
   *
   * @param head the status line and headers
   * @param body the body's bytes
   */
  record Reply(HttpResponse head, byte[] body) {
    /** The body as UTF-8 text. */
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** The SPDY/3.1 frames of one direction of a connection, all of it, in order. */
  static List<Spdy> spdyFrames(byte[] bytes) {
    WholeSpdyCodec codec = new WholeSpdyCodec();
    EmbeddedChannel ch = new EmbeddedChannel(codec);
    List<Spdy> frames = new ArrayList<>();
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes));
      for (Object msg = ch.readInbound(); msg != null; msg = ch.readInbound()) {
        try {
          frames.add(Spdy.of(msg));
        } finally {
          ReferenceCountUtil.release(msg);
        }
      }
      if (codec.unread() != 0) {
        throw new AssertionError("Expecting whole SPDY frames but " + codec.unread() + " bytes are left over after "
            + frames);
      }
      return frames;
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /** The payloads of the DATA frames of stream {@code id}, in order, joined. */
  static byte[] dataOf(List<Spdy> frames, int id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Spdy f : frames) {
      if (f instanceof Data d && d.streamId() == id) {
        out.writeBytes(d.data());
      }
    }
    return out.toByteArray();
  }

  /** The id of the stream opened with the {@code streamtype} header {@code type}. */
  static int streamOfType(List<Spdy> frames, String type) {
    return frames.stream()
        .filter(f -> f instanceof SynStream s && List.of(type).equals(s.headers().get("streamtype")))
        .mapToInt(f -> ((SynStream) f).streamId())
        .findFirst()
        .orElseThrow(() -> new AssertionError("Expecting a stream of type " + type + " but none was opened"));
  }

  /**
   * The WebSocket frames of one direction; a client's frames must be masked and a server's must not. Netty's decoder
   * ignores everything after a close frame, so what follows one (x/net sends a second close) goes to a fresh decoder.
   */
  static List<Ws> webSocketFrames(byte[] bytes, boolean masked) {
    List<Ws> frames = new ArrayList<>();
    int offset = 0;
    while (offset < bytes.length) {
      List<Ws> upToClose = webSocketFramesUpToClose(Arrays.copyOfRange(bytes, offset, bytes.length), masked);
      frames.addAll(upToClose);
      offset += upToClose.stream().mapToInt(f -> f.wireLength(masked)).sum();
      if (upToClose.isEmpty() || upToClose.get(upToClose.size() - 1).type() != Ws.Type.CLOSE) {
        break;
      }
    }
    if (offset != bytes.length) {
      throw new AssertionError("Expecting whole WebSocket frames but " + (bytes.length - offset)
          + " bytes are left over after " + frames);
    }
    return frames;
  }

  private static List<Ws> webSocketFramesUpToClose(byte[] bytes, boolean masked) {
    WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(masked)
        .allowMaskMismatch(false)
        .maxFramePayloadLength(MAX_FRAME)
        .allowExtensions(false)
        .withUTF8Validator(false)
        .build();
    EmbeddedChannel ch = new EmbeddedChannel(new WebSocket13FrameDecoder(config));
    List<Ws> frames = new ArrayList<>();
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes));
      for (Object msg = ch.readInbound(); msg != null; msg = ch.readInbound()) {
        try {
          frames.add(Ws.of((WebSocketFrame) msg));
        } finally {
          ReferenceCountUtil.release(msg);
        }
      }
      return frames;
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /** Netty's codec with DATA frames kept whole, telling how many bytes it could not decode. */
  private static final class WholeSpdyCodec extends SpdyFrameCodec {
    WholeSpdyCodec() {
      super(SpdyVersion.SPDY_3_1, MAX_FRAME, 1 << 16, 6, 15, 8);
    }

    int unread() {
      return internalBuffer().readableBytes();
    }
  }

  /** A decoded SPDY frame. */
  sealed interface Spdy {
    /** The frame as Netty decoded it, copied; fails on a frame Netty marked invalid. */
    static Spdy of(Object msg) {
      if (msg instanceof SpdyHeadersFrame h && h.isInvalid()) {
        throw new AssertionError("Expecting valid SPDY frames but Netty marked invalid " + msg);
      }
      if (msg instanceof SpdySynStreamFrame s) {
        return new SynStream(s.streamId(), s.isLast(), s.isUnidirectional(), headers(s.headers()));
      }
      if (msg instanceof SpdySynReplyFrame r) {
        return new SynReply(r.streamId(), r.isLast(), headers(r.headers()));
      }
      if (msg instanceof SpdyDataFrame d) {
        return new Data(d.streamId(), ByteBufUtil.getBytes(d.content()), d.isLast());
      }
      if (msg instanceof SpdyRstStreamFrame r) {
        return new RstStream(r.streamId(), r.status().code());
      }
      if (msg instanceof SpdyGoAwayFrame g) {
        return new GoAway(g.lastGoodStreamId(), g.status().code());
      }
      if (msg instanceof SpdyPingFrame p) {
        return new Ping(p.id());
      }
      return new Other(String.valueOf(msg));
    }

    /** Header names exactly as they travelled, each with its values in order. */
    private static Map<String, List<String>> headers(SpdyHeaders h) {
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (CharSequence name : h.names()) {
        out.put(name.toString(), List.copyOf(h.getAllAsString(name)));
      }
      return out;
    }
  }

  /**
   * SYN_STREAM.
   *
   * @param streamId the stream it opens
   * @param last whether FIN is set
   * @param unidirectional whether UNIDIRECTIONAL is set
   * @param headers its header block, names as on the wire
   */
  record SynStream(int streamId, boolean last, boolean unidirectional, Map<String, List<String>> headers)
      implements Spdy {
  }

  /**
   * SYN_REPLY.
   *
   * @param streamId the stream it accepts
   * @param last whether FIN is set
   * @param headers its header block, names as on the wire
   */
  record SynReply(int streamId, boolean last, Map<String, List<String>> headers) implements Spdy {
  }

  /**
   * DATA.
   *
   * @param streamId its stream
   * @param data its payload
   * @param last whether FIN is set
   */
  record Data(int streamId, byte[] data, boolean last) implements Spdy {
    @Override
    public String toString() {
      return "Data[" + streamId + ", " + data.length + " bytes" + (last ? ", FIN]" : "]");
    }
  }

  /**
   * RST_STREAM.
   *
   * @param streamId the stream it resets
   * @param status its status code (5 is CANCEL)
   */
  record RstStream(int streamId, int status) implements Spdy {
  }

  /**
   * GOAWAY.
   *
   * @param lastGoodStreamId the last stream of the peer's that the sender accepted
   * @param status its status code (0 is OK)
   */
  record GoAway(int lastGoodStreamId, int status) implements Spdy {
  }

  /**
   * PING.
   *
   * @param id its id
   */
  record Ping(int id) implements Spdy {
  }

  /**
   * Any other frame (SETTINGS, WINDOW_UPDATE, HEADERS).
   *
   * @param description how Netty prints it
   */
  record Other(String description) implements Spdy {
  }

  /**
   * A decoded WebSocket frame.
   *
   * @param type its kind
   * @param fin whether it ends its message
   * @param payload its unmasked payload
   */
  record Ws(Type type, boolean fin, byte[] payload) {
    /** The kinds of frames. */
    enum Type { TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG }

    static Ws of(WebSocketFrame frame) {
      Type type;
      if (frame instanceof BinaryWebSocketFrame) {
        type = Type.BINARY;
      } else if (frame instanceof TextWebSocketFrame) {
        type = Type.TEXT;
      } else if (frame instanceof ContinuationWebSocketFrame) {
        type = Type.CONTINUATION;
      } else if (frame instanceof CloseWebSocketFrame) {
        type = Type.CLOSE;
      } else if (frame instanceof PingWebSocketFrame) {
        type = Type.PING;
      } else if (frame instanceof PongWebSocketFrame) {
        type = Type.PONG;
      } else {
        throw new AssertionError("Expecting a WebSocket frame of a known kind but got " + frame);
      }
      return new Ws(type, frame.isFinalFragment(), ByteBufUtil.getBytes(frame.content()));
    }

    /** The status code of a close frame; 1005 (no status) when its payload is empty. */
    int closeCode() {
      if (type != Type.CLOSE) {
        throw new AssertionError("Expecting a close frame but got " + this);
      }
      return payload.length < 2 ? 1005 : (payload[0] & 0xff) << 8 | payload[1] & 0xff;
    }

    /** The frame's size on the wire; Netty's decoder accepts only the shortest length encoding, so it is exact. */
    int wireLength(boolean masked) {
      int extended = payload.length < 126 ? 0 : payload.length < 65536 ? 2 : 8;
      return 2 + extended + (masked ? 4 : 0) + payload.length;
    }

    /** The first payload byte of a v5 message: its channel, or 255 for the close signal. */
    int channel() {
      if (payload.length == 0) {
        throw new AssertionError("Expecting a channel byte but the payload of " + this + " is empty");
      }
      return payload[0] & 0xff;
    }

    /** The payload after the channel byte. */
    byte[] data() {
      return Arrays.copyOfRange(payload, 1, payload.length);
    }

    @Override
    public String toString() {
      return "Ws[" + type + (fin ? "" : ", not final") + ", " + ByteBufUtil.hexDump(payload, 0,
          Math.min(payload.length, 16)) + (payload.length > 16 ? "... " + payload.length + " bytes]" : "]");
    }
  }
}
