package io.execsim.core.remotecommand;

import java.util.List;

/** The names and numbers of the remote command protocol, declared once, in the words of the Kubernetes sources. */
public final class StreamProtocol {
  /** The first protocol: plain streams, errors as text. */
  public static final String V1 = "channel.k8s.io";
  /** Adds nothing on the wire that this simulation distinguishes from v1. */
  public static final String V2 = "v2.channel.k8s.io";
  /** Adds the resize stream. */
  public static final String V3 = "v3.channel.k8s.io";
  /** Errors as JSON {@code Status} on the error stream. */
  public static final String V4 = "v4.channel.k8s.io";
  /** Adds the close signal on WebSocket. */
  public static final String V5 = "v5.channel.k8s.io";
  /** The legacy WebSocket base64 variant of v1. */
  public static final String BASE64_V1 = "base64.channel.k8s.io";
  /** The legacy WebSocket base64 variant of v4. */
  public static final String BASE64_V4 = "v4.base64.channel.k8s.io";

  /** What kubectl 1.29 and later offer over SPDY, in its order. */
  public static final List<String> KUBECTL_SPDY_OFFER = List.of(V5, V4, V3, V2, V1);
  /** What the CRI streaming server accepts over SPDY, in its order of preference. */
  public static final List<String> CRI_SPDY_ACCEPT = List.of(V4, V3, V2, V1);

  /** The header naming a SPDY stream's role. */
  public static final String STREAM_TYPE_HEADER = "streamType";
  /** The request header listing the protocols a client offers, one per header line. */
  public static final String PROTOCOL_HEADER = "X-Stream-Protocol-Version";
  /** The response header listing the protocols a server accepts, sent when negotiation fails. */
  public static final String ACCEPTED_PROTOCOLS_HEADER = "X-Accepted-Stream-Protocol-Versions";

  private StreamProtocol() {
  }

  /** The roles of the streams of an exec; over SPDY a stream carries its role in {@link #STREAM_TYPE_HEADER}. */
  public enum StreamType {
    ERROR("error", 3),
    STDIN("stdin", 0),
    STDOUT("stdout", 1),
    STDERR("stderr", 2),
    RESIZE("resize", 4);

    private final String header;
    private final int channel;

    StreamType(String header, int channel) {
      this.header = header;
      this.channel = channel;
    }

    /** The value of the {@code streamType} header. */
    public String header() {
      return header;
    }

    /** The WebSocket channel number: the first byte of each message. */
    public int channel() {
      return channel;
    }

    /** The stream type whose header value is {@code header}. */
    public static java.util.Optional<StreamType> ofHeader(String header) {
      for (StreamType t : values()) {
        if (t.header.equals(header)) {
          return java.util.Optional.of(t);
        }
      }
      return java.util.Optional.empty();
    }

    /** The stream type on WebSocket channel {@code channel}. */
    public static java.util.Optional<StreamType> ofChannel(int channel) {
      for (StreamType t : values()) {
        if (t.channel == channel) {
          return java.util.Optional.of(t);
        }
      }
      return java.util.Optional.empty();
    }
  }

  /** The WebSocket v5 message that closes a channel: this byte, then the channel number. */
  public static final int CLOSE_SIGNAL = 255;
}
