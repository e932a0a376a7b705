package io.execsim.core.http;

import io.execsim.core.json.GoJsonEncoder;
import io.execsim.core.error.GoError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The head of an HTTP response read from raw bytes, as Go's {@code http.ReadResponse} reads it, with its error
 * texts: {@code unexpected EOF}, {@code malformed HTTP response "<line>"}, {@code malformed HTTP status code "<c>"},
 * {@code malformed HTTP version "<v>"}, {@code malformed MIME header line: <line>}.
 *
 * @param protoMajor the major HTTP version
 * @param protoMinor the minor HTTP version
 * @param code the status code
 * @param status the status after the code, e.g. {@code Not Found}
 * @param headers the headers by canonical name, without {@code Connection: close}, which sets {@code close}
 * @param close whether the server closes the connection after this response
 * @param length the bytes the head took, line ends included
 */
record ResponseHead(int protoMajor, int protoMinor, int code, String status, Map<String, List<String>> headers,
    boolean close, int length) {

  /**
   * Parses the head at the start of {@code bytes}; empty when the head is not complete yet. With {@code atEof} the
   * bytes are all there will be: a missing line end is taken as the end of the line, as Go's reader takes it, and
   * a head still incomplete fails with {@code unexpected EOF}.
   */
  static Optional<ResponseHead> parse(byte[] bytes, boolean atEof) {
    List<String> lines = new ArrayList<>();
    int pos = 0;
    int end = -1;
    while (pos < bytes.length) {
      int nl = indexOf(bytes, (byte) '\n', pos);
      if (nl < 0) {
        if (atEof) {
          lines.add(new String(bytes, pos, bytes.length - pos, StandardCharsets.ISO_8859_1));
        }
        break;
      }
      int lineEnd = nl > pos && bytes[nl - 1] == '\r' ? nl - 1 : nl;
      String line = new String(bytes, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
      pos = nl + 1;
      if (line.isEmpty() && !lines.isEmpty()) {
        end = pos;
        break;
      }
      lines.add(line);
    }
    if (end < 0 && !atEof) {
      if (!lines.isEmpty()) {
        statusLine(lines.get(0));
      }
      return Optional.empty();
    }
    if (lines.isEmpty()) {
      throw GoError.of("unexpected EOF");
    }
    int[] status = statusLine(lines.get(0));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw GoError.of("malformed MIME header line: " + line);
      }
      String key = GoHttp.canonicalKey(line.substring(0, colon).strip());
      headers.computeIfAbsent(key, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
    }
    if (end < 0) {
      throw GoError.of("unexpected EOF");
    }
    String line = lines.get(0);
    String afterProto = line.substring(line.indexOf(' ') + 1).stripLeading();
    String text = afterProto.length() > 4 ? afterProto.substring(4) : "";
    boolean close = hasClose(headers) || status[0] == 1 && status[1] == 0 && !hasToken(headers, "keep-alive");
    if (hasClose(headers)) {
      // ReadResponse removes "Connection: close" and records it as Close
      headers.remove("Connection");
    }
    return Optional.of(new ResponseHead(status[0], status[1], status[2], text, headers, close, end));
  }

  private static int[] statusLine(String line) {
    int sp = line.indexOf(' ');
    if (sp < 0) {
      throw GoError.of("malformed HTTP response " + GoJsonEncoder.quote(line));
    }
    String proto = line.substring(0, sp);
    String status = line.substring(sp + 1).stripLeading();
    int sp2 = status.indexOf(' ');
    String code = sp2 < 0 ? status : status.substring(0, sp2);
    if (code.length() != 3 || !code.chars().allMatch(Character::isDigit)) {
      throw GoError.of("malformed HTTP status code " + GoJsonEncoder.quote(code));
    }
    if (!proto.matches("HTTP/\\d\\.\\d")) {
      throw GoError.of("malformed HTTP version " + GoJsonEncoder.quote(proto));
    }
    return new int[] {proto.charAt(5) - '0', proto.charAt(7) - '0', Integer.parseInt(code)};
  }

  private static boolean hasClose(Map<String, List<String>> headers) {
    return hasToken(headers, "close");
  }

  private static boolean hasToken(Map<String, List<String>> headers, String token) {
    for (String v : headers.getOrDefault("Connection", List.of())) {
      for (String t : v.split(",")) {
        if (t.strip().toLowerCase(Locale.ROOT).equals(token)) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the body is sent with chunked encoding. */
  boolean isChunked() {
    return headers.getOrDefault("Transfer-Encoding", List.of()).stream()
        .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
  }

  /** The body's length when the head states it; empty when the body runs until the connection closes. */
  OptionalInt contentLength() {
    if (code / 100 == 1 || code == 204 || code == 304) {
      return OptionalInt.of(0);
    }
    List<String> cl = headers.get("Content-Length");
    if (cl == null || cl.isEmpty() || isChunked()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(cl.get(0).strip()));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * The head as Go's {@code Response.Write} writes the response again: status line, {@code Connection: close} when
   * the body runs to the close, {@code Content-Length}, the other headers sorted, then the blank line.
   */
  String rewrite() {
    StringBuilder b = new StringBuilder(128);
    b.append("HTTP/").append(protoMajor).append('.').append(protoMinor).append(' ')
        .append(String.format("%03d", code)).append(' ').append(status).append("\r\n");
    OptionalInt length = contentLength();
    if (close || length.isEmpty() && !isChunked()) {
      b.append("Connection: close\r\n");
    }
    if (length.isPresent() && length.getAsInt() > 0) {
      b.append("Content-Length: ").append(length.getAsInt()).append("\r\n");
    } else if (isChunked()) {
      b.append("Transfer-Encoding: chunked\r\n");
    }
    GoHttp.writeSorted(b, headers, Set.of("Content-Length", "Transfer-Encoding", "Trailer"));
    if (length.isPresent() && length.getAsInt() == 0 && code >= 200 && code != 204 && code != 304) {
      b.append("Content-Length: 0\r\n");
    }
    return b.append("\r\n").toString();
  }
}
