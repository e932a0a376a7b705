package io.execsim.core.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A frame read off the wire by Netty's own decoder, independent of the code under test, as a plain value: its kind,
 * its payload, and for a close frame its code. Decoding releases every buffer.
 *
 * @param kind the frame type
 * @param payload the (unmasked) payload; for a close frame the reason text
 * @param closeCode the close code, or -1
 */
record WireFrame(Kind kind, byte[] payload, int closeCode) {

  /** Frame types. */
  enum Kind { BINARY, TEXT, CONTINUATION, CLOSE, PING, PONG }

  /** The payload as text. */
  String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return kind + (closeCode >= 0 ? "(" + closeCode + ")" : "") + Arrays.toString(payload);
  }

  /** The frames in bytes a server sent: unmasked, as a client decodes them. */
  static List<WireFrame> fromServer(byte[] frames) {
    return decode(frames, false);
  }

  /** The frames in bytes a client sent: masked, as a server decodes them. */
  static List<WireFrame> fromClient(byte[] frames) {
    return decode(frames, true);
  }

  /** The bytes of {@code frame} as a client sends them (masked with a fixed key). Releases the frame. */
  static byte[] clientBytes(WebSocketFrame frame) {
    EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(() -> 0x5a17c3e1));
    encoder.writeOutbound(frame);
    byte[] bytes = drain(encoder);
    encoder.finishAndReleaseAll();
    return bytes;
  }

  /** A binary client frame: {@code channel} then {@code data}. */
  static byte[] clientMessage(int channel, byte[] data) {
    byte[] m = new byte[data.length + 1];
    m[0] = (byte) channel;
    System.arraycopy(data, 0, m, 1, data.length);
    return clientBytes(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(m)));
  }

  /** Everything written to {@code channel} so far, its buffers released. */
  static byte[] drain(EmbeddedChannel channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
      ByteBuf b = (ByteBuf) o;
      out.writeBytes(ByteBufUtil.getBytes(b));
      b.release();
    }
    return out.toByteArray();
  }

  /** The bytes after the first blank line. */
  static byte[] afterHead(byte[] wire) {
    int end = headEnd(wire);
    return Arrays.copyOfRange(wire, end, wire.length);
  }

  /** The HTTP head, up to and with the first blank line. */
  static String head(byte[] wire) {
    return new String(wire, 0, headEnd(wire), StandardCharsets.ISO_8859_1);
  }

  private static int headEnd(byte[] wire) {
    for (int i = 0; i + 3 < wire.length; i++) {
      if (wire[i] == '\r' && wire[i + 1] == '\n' && wire[i + 2] == '\r' && wire[i + 3] == '\n') {
        return i + 4;
      }
    }
    throw new IllegalArgumentException("no HTTP head in " + wire.length + " bytes");
  }

  private static List<WireFrame> decode(byte[] frames, boolean masked) {
    // Byte by byte, so that a frame after a close frame (which Netty's decoder then ignores) is read by a new one.
    List<WireFrame> out = new ArrayList<>();
    EmbeddedChannel decoder = newDecoder(masked);
    for (byte b : frames) {
      decoder.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
      for (Object o = decoder.readInbound(); o != null; o = decoder.readInbound()) {
        WebSocketFrame f = (WebSocketFrame) o;
        out.add(of(f));
        f.release();
        if (f instanceof CloseWebSocketFrame) {
          decoder.finishAndReleaseAll();
          decoder = newDecoder(masked);
        }
      }
    }
    decoder.finishAndReleaseAll();
    return out;
  }

  private static EmbeddedChannel newDecoder(boolean masked) {
    return new EmbeddedChannel(new WebSocket13FrameDecoder(masked, false, Integer.MAX_VALUE));
  }

  private static WireFrame of(WebSocketFrame f) {
    if (f instanceof CloseWebSocketFrame c) {
      return new WireFrame(Kind.CLOSE, c.reasonText().getBytes(StandardCharsets.UTF_8), c.statusCode());
    }
    Kind kind = f instanceof BinaryWebSocketFrame ? Kind.BINARY
        : f instanceof TextWebSocketFrame ? Kind.TEXT
        : f instanceof ContinuationWebSocketFrame ? Kind.CONTINUATION
        : f instanceof PingWebSocketFrame ? Kind.PING
        : f instanceof PongWebSocketFrame ? Kind.PONG : null;
    if (kind == null) {
      throw new IllegalArgumentException("unknown frame " + f);
    }
    return new WireFrame(kind, ByteBufUtil.getBytes(f.content()), -1);
  }
}
