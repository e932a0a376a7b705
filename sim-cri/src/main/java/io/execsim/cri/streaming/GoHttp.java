package io.execsim.cri.streaming;

import io.execsim.core.error.GoText;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Responses as Go's {@code net/http} server writes them: the handler's headers sorted by name, then {@code Date} and
 * {@code Content-Length}; {@code http.Error} bodies end in a newline and carry {@code nosniff}.
 */
final class GoHttp {
  private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

  private GoHttp() {
  }

  /** The headers a handler sets, kept sorted as Go writes them. */
  static Map<String, List<String>> headers() {
    return new TreeMap<>();
  }

  /** {@code http.Error(w, text, status)} after the handler set {@code headers}. */
  static FullHttpResponse error(Instant now, HttpResponseStatus status, String text,
      Map<String, List<String>> headers) {
    return errorBody(now, status, text + "\n", headers);
  }

  /** Like {@link #error}, for a body that is not one {@code http.Error} line. */
  static FullHttpResponse errorBody(Instant now, HttpResponseStatus status, String body,
      Map<String, List<String>> headers) {
    headers.put("Content-Type", List.of(PLAIN_TEXT));
    headers.put("X-Content-Type-Options", List.of("nosniff"));
    return response(now, status, body, headers);
  }

  /** {@code http.NotFound}. */
  static FullHttpResponse notFound(Instant now) {
    return error(now, HttpResponseStatus.NOT_FOUND, "404 page not found", headers());
  }

  /** go-restful's answer when no route matches a request: a body without newline, its type sniffed by Go. */
  static FullHttpResponse restfulError(Instant now, HttpResponseStatus status, String text,
      Map<String, List<String>> headers) {
    headers.put("Content-Type", List.of(PLAIN_TEXT));
    return response(now, status, text, headers);
  }

  /** The {@code 101} of a SPDY upgrade, flushed by the hijack: the handler's headers and a date, no length. */
  static FullHttpResponse switchingProtocols(Instant now, Map<String, List<String>> headers) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
        Unpooled.EMPTY_BUFFER);
    headers.forEach((name, values) -> res.headers().add(name, values));
    res.headers().add("Date", io.execsim.core.http.GoHttp.date(now));
    return res;
  }

  private static FullHttpResponse response(Instant now, HttpResponseStatus status, String body,
      Map<String, List<String>> headers) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    headers.forEach((name, values) -> res.headers().add(name, values));
    res.headers().add("Date", io.execsim.core.http.GoHttp.date(now));
    res.headers().add("Content-Length", bytes.length);
    return res;
  }

  /** The request's headers as Go's {@code %#v} prints an {@code http.Header}: Host left out, keys sorted. */
  static String goSyntax(HttpHeaders requestHeaders) {
    Map<String, List<String>> byKey = new TreeMap<>();
    for (Map.Entry<String, String> e : requestHeaders) {
      String key = io.execsim.core.http.GoHttp.canonicalKey(e.getKey());
      if (!key.equals("Host") && !key.equals("Transfer-Encoding")) {
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e.getValue());
      }
    }
    StringJoiner map = new StringJoiner(", ", "http.Header{", "}");
    byKey.forEach((key, values) -> {
      StringJoiner list = new StringJoiner(", ", "[]string{", "}");
      values.forEach(v -> list.add(GoText.quote(v)));
      map.add(GoText.quote(key) + ":" + list);
    });
    return map.toString();
  }
}
