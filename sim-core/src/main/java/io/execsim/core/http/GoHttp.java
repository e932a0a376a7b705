package io.execsim.core.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Pieces of Go's {@code net/http} that the simulated servers need to write and read HTTP exactly as Go does. */
public final class GoHttp {
  /** The value {@code http.TimeFormat} formats the {@code Date} header with. */
  private static final DateTimeFormatter TIME_FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private static final Map<Integer, String> STATUS_TEXT = Map.ofEntries(
      Map.entry(100, "Continue"),
      Map.entry(101, "Switching Protocols"),
      Map.entry(200, "OK"),
      Map.entry(201, "Created"),
      Map.entry(204, "No Content"),
      Map.entry(301, "Moved Permanently"),
      Map.entry(302, "Found"),
      Map.entry(304, "Not Modified"),
      Map.entry(400, "Bad Request"),
      Map.entry(401, "Unauthorized"),
      Map.entry(403, "Forbidden"),
      Map.entry(404, "Not Found"),
      Map.entry(405, "Method Not Allowed"),
      Map.entry(406, "Not Acceptable"),
      Map.entry(409, "Conflict"),
      Map.entry(410, "Gone"),
      Map.entry(413, "Request Entity Too Large"),
      Map.entry(415, "Unsupported Media Type"),
      Map.entry(422, "Unprocessable Entity"),
      Map.entry(429, "Too Many Requests"),
      Map.entry(500, "Internal Server Error"),
      Map.entry(502, "Bad Gateway"),
      Map.entry(503, "Service Unavailable"),
      Map.entry(504, "Gateway Timeout"));

  private GoHttp() {
  }

  /** The reason phrase {@code http.StatusText} gives {@code code}; empty for codes it does not know. */
  public static String statusText(int code) {
    return STATUS_TEXT.getOrDefault(code, "");
  }

  /** {@code instant} as the {@code Date} header carries it, e.g. {@code Thu, 01 Jan 2026 00:00:00 GMT}. */
  public static String date(Instant instant) {
    return TIME_FORMAT.format(instant);
  }

  /**
   * A header name as {@code textproto.CanonicalMIMEHeaderKey} spells it: the first letter and every letter after
   * a hyphen upper case, the rest lower case ({@code Sec-Websocket-Protocol}); names with other characters than
   * token characters stay as they are.
   */
  public static String canonicalKey(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        return name;
      }
    }
    StringBuilder b = new StringBuilder(name.length());
    boolean upper = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return b.toString();
  }

  private static boolean isTokenChar(char c) {
    return c < 0x7f && c > 0x20 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
  }

  /**
   * Whether a request asks for a protocol upgrade, as apimachinery's {@code httpstream.IsUpgradeRequest} decides:
   * one of its {@code Connection} values contains {@code upgrade}, whatever its case.
   */
  public static boolean isUpgradeRequest(HttpHeaders headers) {
    for (String v : headers.getAll(HttpHeaderNames.CONNECTION)) {
      if (v.toLowerCase(Locale.ROOT).contains("upgrade")) {
        return true;
      }
    }
    return false;
  }

  /** Whether a request is a WebSocket upgrade, as {@code wsstream.IsWebSocketRequest} decides. */
  public static boolean isWebSocketRequest(HttpHeaders headers) {
    String upgrade = headers.get(HttpHeaderNames.UPGRADE);
    return upgrade != null && upgrade.equalsIgnoreCase("websocket") && isUpgradeRequest(headers);
  }

  /**
   * The segments of a request path, each decoded as Go's {@code URL.Path} is ({@code %XX} escapes, no {@code +});
   * empty segments are kept, the empty segment before the leading slash is not.
   */
  public static List<String> pathSegments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    List<String> segments = new ArrayList<>();
    for (String s : p.split("/", -1)) {
      segments.add(s.indexOf('%') < 0 ? s : Query.unescape(s.replace("+", "%2B")).orElse(s));
    }
    return segments;
  }

  /** The headers of a Go header map built from {@code headers}: canonical names, values in their order. */
  public static Map<String, List<String>> canonical(Iterable<Map.Entry<String, String>> headers) {
    Map<String, List<String>> map = new TreeMap<>();
    for (Map.Entry<String, String> h : headers) {
      map.computeIfAbsent(canonicalKey(h.getKey()), k -> new ArrayList<>()).add(h.getValue());
    }
    return map;
  }

  /**
   * Appends {@code headers} as Go's {@code Header.WriteSubset} writes them: names sorted, one line per value,
   * line breaks in values turned into spaces, names in {@code exclude} left out.
   */
  static void writeSorted(StringBuilder out, Map<String, List<String>> headers, Set<String> exclude) {
    TreeMap<String, List<String>> sorted = new TreeMap<>(headers);
    for (Map.Entry<String, List<String>> h : sorted.entrySet()) {
      if (exclude.contains(h.getKey())) {
        continue;
      }
      for (String v : h.getValue()) {
        String clean = v.replace('\n', ' ').replace('\r', ' ').strip();
        out.append(h.getKey()).append(": ").append(clean).append("\r\n");
      }
    }
  }
}
