package io.execsim.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A response as a Go handler writes it and Go's server puts it on the wire: the status line, the headers the
 * handler set in sorted order, then the ones the server adds ({@code Date}, {@code Content-Length}, a sniffed
 * {@code Content-Type}, {@code Connection: close}, {@code Transfer-Encoding}) in that order, then the body.
 *
 * <p>Simplified: the server always writes {@code Content-Length}, where Go switches to chunked encoding for bodies
 * over 2 KiB; and a sniffed content type is always {@code text/plain; charset=utf-8}.
 */
public final class GoResponse {
  private static final Set<String> NO_EXCLUDE = Set.of();
  private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

  private final int code;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final boolean streaming;

  private GoResponse(int code, Map<String, List<String>> headers, byte[] body, boolean streaming) {
    this.code = code;
    this.headers = headers;
    this.body = body;
    this.streaming = streaming;
  }

  /** A builder of a response with status {@code code}. */
  public static Builder builder(int code) {
    return new Builder(code);
  }

  /**
   * What {@code http.Error(w, text, code)} writes: {@code text} and a newline, as plain text, with
   * {@code X-Content-Type-Options: nosniff}.
   */
  public static GoResponse httpError(int code, String text) {
    return builder(code)
        .header("Content-Type", PLAIN_TEXT)
        .header("X-Content-Type-Options", "nosniff")
        .body(text + "\n")
        .build();
  }

  /**
   * What a handler writes with {@code WriteHeader(code)} and {@code Write(body)} and nothing else, as go-restful's
   * {@code WriteErrorString} and the kubelet's {@code streaming.WriteError} do: the server sniffs the content type.
   */
  public static GoResponse text(int code, String body) {
    return builder(code).body(body).build();
  }

  /** A JSON body with {@code Content-Type: application/json}, written as given. */
  public static GoResponse json(int code, String json) {
    return builder(code).header("Content-Type", "application/json").body(json).build();
  }

  /**
   * A status as the apiserver's {@code responsewriters.ErrorNegotiated} writes it: the status code of the status,
   * its JSON and a newline ({@code json.Encoder}), {@code Content-Type: application/json} and the
   * {@code Cache-Control} every apiserver response carries.
   */
  public static GoResponse apiStatus(ApiStatus status) {
    Builder b = builder(status.code())
        .header("Cache-Control", "no-cache, private")
        .header("Content-Type", "application/json");
    status.details().filter(d -> d.retryAfterSeconds() > 0)
        .ifPresent(d -> b.header("Retry-After", Integer.toString(d.retryAfterSeconds())));
    return b.body(status.toJson() + "\n").build();
  }

  /** The status code. */
  public int code() {
    return code;
  }

  /** The headers the handler set, by canonical name. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Whether the body streams on after the head, with chunked encoding, and is never complete here. */
  public boolean isStreaming() {
    return streaming;
  }

  /**
   * The response's bytes as Go's server writes them at {@code now}; with {@code closing} the server tells the
   * client it closes the connection afterwards.
   */
  public ByteBuf encode(ByteBufAllocator alloc, Instant now, boolean closing) {
    StringBuilder head = new StringBuilder(256);
    String text = GoHttp.statusText(code);
    head.append("HTTP/1.1 ").append(code).append(' ').append(text.isEmpty() ? "status code " + code : text)
        .append("\r\n");
    GoHttp.writeSorted(head, headers, NO_EXCLUDE);
    boolean bodyAllowed = code >= 200 && code != 204 && code != 304;
    if (!headers.containsKey("Date")) {
      head.append("Date: ").append(GoHttp.date(now)).append("\r\n");
    }
    if (bodyAllowed && !streaming && !headers.containsKey("Content-Length")) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    if (bodyAllowed && body.length > 0 && !headers.containsKey("Content-Type")) {
      head.append("Content-Type: ").append(PLAIN_TEXT).append("\r\n");
    }
    if (closing) {
      head.append("Connection: close\r\n");
    }
    if (streaming) {
      head.append("Transfer-Encoding: chunked\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuf buf = alloc.buffer(headBytes.length + body.length);
    buf.writeBytes(headBytes);
    if (!streaming) {
      buf.writeBytes(body);
    }
    return buf;
  }

  @Override
  public String toString() {
    return code + " " + GoHttp.statusText(code) + " " + bodyText().strip();
  }

  /** Collects the parts of a response; {@link #build()} copies them. */
  public static final class Builder {
    private final int code;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private boolean streaming;

    private Builder(int code) {
      if (code < 100 || code > 999) {
        throw new IllegalArgumentException("status code must have three digits: " + code);
      }
      this.code = code;
    }

    /** Adds a header value, as {@code w.Header().Add} does. */
    public Builder header(String name, String value) {
      headers.computeIfAbsent(GoHttp.canonicalKey(name), k -> new ArrayList<>()).add(value);
      return this;
    }

    /** Sets the body to the UTF-8 bytes of {@code text}. */
    public Builder body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sets the body to a copy of {@code bytes}. */
    public Builder body(byte[] bytes) {
      this.body = bytes.clone();
      return this;
    }

    /** Sends only the head, with chunked encoding, for a body that streams on (a watch). */
    public Builder streaming() {
      this.streaming = true;
      return this;
    }

    /** The response. */
    public GoResponse build() {
      Map<String, List<String>> copy = new LinkedHashMap<>();
      headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      return new GoResponse(code, Map.copyOf(copy), body.clone(), streaming);
    }
  }
}
