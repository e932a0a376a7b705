package io.execsim.core.remotecommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import io.execsim.core.json.GoJsonDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The {@code metav1.Status} that the remote command protocol carries: what the streaming server writes on the error
 * stream (v4 and v5), and what an API server answers a failed upgrade with. {@link #toJson()} writes it byte for byte
 * as Go's {@code json.Marshal} does; {@link #decodeErrorStream} turns the error stream's bytes into the error
 * client-go's decoder of each protocol version returns; {@link #fromUpgradeResponse} recognises a status body as
 * client-go's SPDY round tripper does.
 *
 * @param kind {@code TypeMeta.Kind}, {@code Status} in API server answers, empty on the error stream
 * @param apiVersion {@code TypeMeta.APIVersion}, {@code v1} in API server answers, empty on the error stream
 * @param status {@link #SUCCESS} or {@link #FAILURE}
 * @param message a description of the failure
 * @param reason a {@code StatusReason}, such as {@link #REASON_NON_ZERO_EXIT_CODE}
 * @param details the failure's details; a nil pointer in Go when empty
 * @param code the HTTP status code, 0 when unset
 */
public record RemoteCommandStatus(String kind, String apiVersion, String status, String message, String reason,
    Optional<Details> details, int code) {

  /** {@code metav1.StatusSuccess}. */
  public static final String SUCCESS = "Success";
  /** {@code metav1.StatusFailure}. */
  public static final String FAILURE = "Failure";
  /** The reason of a command that exited with a non-zero code. */
  public static final String REASON_NON_ZERO_EXIT_CODE = "NonZeroExitCode";
  /** The cause type that carries the exit code. */
  public static final String CAUSE_EXIT_CODE = "ExitCode";
  /** The reason of {@code apierrors.NewInternalError}. */
  public static final String REASON_INTERNAL_ERROR = "InternalError";

  /** The status of a command that exited with 0. */
  public static RemoteCommandStatus success() {
    return new RemoteCommandStatus("", "", SUCCESS, "", "", Optional.empty(), 0);
  }

  /**
   * The status of a command that exited with {@code exitCode}, as the streaming server's {@code ServeExec} writes it;
   * {@code exitErrorText} is the runtime's text for the exit, e.g. {@code error executing command [sh -c exit 3],
   * exit code 3}.
   */
  public static RemoteCommandStatus nonZeroExitCode(int exitCode, String exitErrorText) {
    Details d = new Details("", "", "", "", List.of(new Cause(CAUSE_EXIT_CODE, Integer.toString(exitCode), "")), 0);
    return new RemoteCommandStatus("", "", FAILURE, "command terminated with non-zero exit code: " + exitErrorText,
        REASON_NON_ZERO_EXIT_CODE, Optional.of(d), 0);
  }

  /** The status {@code apierrors.NewInternalError(err)} makes of an error whose text is {@code errorText}. */
  public static RemoteCommandStatus internalError(String errorText) {
    Details d = new Details("", "", "", "", List.of(new Cause("", errorText, "")), 0);
    return new RemoteCommandStatus("", "", FAILURE, "Internal error occurred: " + errorText, REASON_INTERNAL_ERROR,
        Optional.of(d), 500);
  }

  /**
   * {@code metav1.StatusDetails}.
   *
   * @param name the name of the object the status is about
   * @param group its API group
   * @param kind its kind
   * @param uid its UID
   * @param causes the causes, in order
   * @param retryAfterSeconds seconds to wait before retrying, 0 when unset
   */
  public record Details(String name, String group, String kind, String uid, List<Cause> causes,
      int retryAfterSeconds) {

    /** Copies the causes. */
    public Details {
      causes = List.copyOf(causes);
    }
  }

  /**
   * {@code metav1.StatusCause}.
   *
   * @param type the cause type; travels under the JSON key {@code reason}
   * @param message what happened
   * @param field the field concerned
   */
  public record Cause(String type, String message, String field) {
  }

  /** The status as Go's {@code json.Marshal} writes it: fields in declaration order, {@code omitempty} honoured. */
  public byte[] toJson() {
    StringBuilder b = new StringBuilder("{");
    field(b, "kind", kind);
    field(b, "apiVersion", apiVersion);
    // ListMeta is a struct, which omitempty never omits.
    b.append(b.length() > 1 ? "," : "").append("\"metadata\":{}");
    field(b, "status", status);
    field(b, "message", message);
    field(b, "reason", reason);
    details.ifPresent(d -> {
      b.append(",\"details\":{");
      int start = b.length();
      field(b, "name", d.name(), start);
      field(b, "group", d.group(), start);
      field(b, "kind", d.kind(), start);
      field(b, "uid", d.uid(), start);
      if (!d.causes().isEmpty()) {
        b.append(b.length() > start ? "," : "").append("\"causes\":[");
        for (int i = 0; i < d.causes().size(); i++) {
          Cause c = d.causes().get(i);
          b.append(i > 0 ? ",{" : "{");
          int causeStart = b.length();
          field(b, "reason", c.type(), causeStart);
          field(b, "message", c.message(), causeStart);
          field(b, "field", c.field(), causeStart);
          b.append('}');
        }
        b.append(']');
      }
      if (d.retryAfterSeconds() != 0) {
        b.append(b.length() > start ? "," : "").append("\"retryAfterSeconds\":").append(d.retryAfterSeconds());
      }
      b.append('}');
    });
    if (code != 0) {
      b.append(",\"code\":").append(code);
    }
    return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void field(StringBuilder b, String name, String value) {
    field(b, name, value, 1);
  }

  private static void field(StringBuilder b, String name, String value, int objectStart) {
    if (value.isEmpty()) {
      return;
    }
    b.append(b.length() > objectStart ? "," : "").append('"').append(name).append("\":");
    goString(b, value);
  }

  /** A string as encoding/json writes it: HTML-safe. */
  private static void goString(StringBuilder b, String s) {
    b.append(io.execsim.core.json.GoJsonEncoder.quote(s));
  }

  /**
   * What client-go's stream protocol {@code protocol} makes of the bytes read from the error stream: empty for
   * success (an empty stream is success in every version, which is how a dropped connection exits 0), an
   * {@link ExitCodeError}, or a {@link GoError} with client-go's text. v4 and v5 decode a status; v2 and v3 take the
   * bytes as the text of {@code error executing remote command: }; v1 (or no protocol) as that of
   * {@code Error executing remote command: }, capitalised as v1.go has it.
   */
  public static Optional<GoError> decodeErrorStream(String protocol, byte[] message) {
    if (message.length == 0) {
      return Optional.empty();
    }
    String text = new String(message, StandardCharsets.UTF_8);
    return switch (protocol) {
      case StreamProtocol.V5, StreamProtocol.V4 -> decodeV4(message);
      case StreamProtocol.V3, StreamProtocol.V2 -> Optional.of(GoError.of("error executing remote command: " + text));
      default -> Optional.of(GoError.of("Error executing remote command: " + text));
    };
  }

  /** client-go's {@code errorDecoderV4.decode}, for a non-empty error stream. */
  private static Optional<GoError> decodeV4(byte[] message) {
    RemoteCommandStatus s;
    try {
      s = unmarshal(message, true);
    } catch (GoError e) {
      return Optional.of(GoError.of("error stream protocol error: " + e.text() + " in "
          + GoText.quote(new String(message, StandardCharsets.UTF_8))));
    }
    if (s.status().equals(SUCCESS)) {
      return Optional.empty();
    }
    if (!s.status().equals(FAILURE)) {
      return Optional.of(GoError.of("error stream protocol error: unknown error"));
    }
    if (!s.reason().equals(REASON_NON_ZERO_EXIT_CODE)) {
      // The message alone becomes the error; the reason and code are not kept.
      return Optional.of(GoError.of(s.message()));
    }
    if (s.details().isEmpty()) {
      return Optional.of(GoError.of("error stream protocol error: details must be set"));
    }
    for (Cause c : s.details().get().causes()) {
      if (!c.type().equals(CAUSE_EXIT_CODE)) {
        continue;
      }
      OptionalInt exit = parseUint8(c.message());
      if (exit.isEmpty()) {
        return Optional.of(GoError.of("error stream protocol error: invalid exit code value "
            + GoText.quote(c.message())));
      }
      return Optional.of(new ExitCodeError(exit.getAsInt()));
    }
    return Optional.of(GoError.of("error stream protocol error: no " + CAUSE_EXIT_CODE + " cause given"));
  }

  /** {@code strconv.ParseUint(s, 10, 8)}: decimal digits only, no sign, at most 255. */
  private static OptionalInt parseUint8(String s) {
    if (s.isEmpty() || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      return OptionalInt.empty();
    }
    String digits = s.replaceFirst("^0+(?=.)", "");
    if (digits.length() > 3 || Integer.parseInt(digits) > 255) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(digits));
  }

  /**
   * The status in the body of a failed upgrade response, if client-go's SPDY round tripper would find one there. Its
   * universal decoder takes a JSON object whose kind is {@code Status} or unset, with keys matched case-sensitively;
   * an empty body decodes through its YAML path as an empty status, which kubectl prints as {@code Error from
   * server: }.
   */
  public static Optional<RemoteCommandStatus> fromUpgradeResponse(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return Optional.of(new RemoteCommandStatus("", "", "", "", "", Optional.empty(), 0));
    }
    JsonNode root;
    if (text.charAt(0) == '{') {
      try {
        root = parse(body);
      } catch (GoError notJson) {
        return Optional.empty();
      }
    } else {
      // TODO: other YAML mappings also decode to an empty status in client-go; only one-line "key: value" does here.
      Optional<ObjectNode> mapping = yamlMapping(text);
      if (mapping.isEmpty()) {
        return Optional.empty();
      }
      root = mapping.get();
    }
    @Nullable JsonNode kindNode = kindOf(root);
    if (kindNode != null && !kindNode.isNull() && (!kindNode.isTextual()
        || !kindNode.textValue().isEmpty() && !kindNode.textValue().equals("Status"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Reader(false).status(root));
    } catch (GoError typeError) {
      return Optional.empty();
    }
  }

  private static @Nullable JsonNode kindOf(JsonNode root) {
    JsonNode exact = root.get("kind");
    if (exact != null) {
      return exact;
    }
    for (var e : root.properties()) {
      if (e.getKey().equalsIgnoreCase("kind")) {
        return e.getValue();
      }
    }
    return null;
  }

  private static Optional<ObjectNode> yamlMapping(String text) {
    int colon = text.indexOf(": ");
    boolean trailing = colon < 0 && text.endsWith(":") && text.indexOf(':') == text.length() - 1;
    if (text.contains("\n") || text.contains(" #") || colon < 0 && !trailing
        || colon >= 0 && text.indexOf(": ", colon + 1) >= 0 || "-?:,[]{}#&*!|>'\"%@`".indexOf(text.charAt(0)) >= 0) {
      return Optional.empty();
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (trailing) {
      o.putNull(text.substring(0, text.length() - 1).strip());
    } else {
      o.put(text.substring(0, colon).strip(), text.substring(colon + 2).strip());
    }
    return Optional.of(o);
  }

  /** {@code json.Unmarshal(data, &status)} with its error texts; {@code foldKeys} as encoding/json matches keys. */
  static RemoteCommandStatus unmarshal(byte[] data, boolean foldKeys) {
    return new Reader(foldKeys).status(parse(data));
  }

  /** The one JSON value of {@code data}, or the syntax error {@code json.Unmarshal} reports. */
  private static JsonNode parse(byte[] data) {
    GoJsonDecoder decoder = GoJsonDecoder.of(data);
    JsonNode root;
    try {
      root = decoder.next();
    } catch (GoError e) {
      // The stream decoder's end-of-input texts, in Unmarshal's words.
      if (e.text().equals("EOF") || e.text().equals("unexpected EOF")) {
        throw GoError.of("unexpected end of JSON input");
      }
      throw e;
    }
    if (decoder.hasNext()) {
      int c = data[firstAfterValue(data)] & 0xff;
      throw GoError.of("invalid character " + quoteChar(c) + " after top-level value");
    }
    return root;
  }

  /** The index of the first non-space byte after the first value of {@code data}, which is valid JSON. */
  private static int firstAfterValue(byte[] data) {
    int i = skipSpace(data, 0);
    int c = data[i];
    if (c == 't' || c == 'n') {
      return skipSpace(data, i + 4);
    }
    if (c == 'f') {
      return skipSpace(data, i + 5);
    }
    if (c != '{' && c != '[' && c != '"') {
      while (i < data.length && "-+.eE0123456789".indexOf(data[i]) >= 0) {
        i++;
      }
      return skipSpace(data, i);
    }
    int depth = 0;
    boolean inString = false;
    do {
      c = data[i++];
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      }
    } while (inString || depth > 0);
    return skipSpace(data, i);
  }

  private static int skipSpace(byte[] data, int from) {
    int i = from;
    while (i < data.length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
      i++;
    }
    return i;
  }

  /** A byte as encoding/json's {@code quoteChar} shows it in a syntax error. */
  private static String quoteChar(int c) {
    if (c == '\'') {
      return "'\\''";
    }
    if (c == '"') {
      return "'\"'";
    }
    // strconv.IsPrint: of Latin-1 beyond ASCII only U+00A1..U+00FF without the soft hyphen print as they are.
    if (c >= 0x80 && (c <= 0xa0 || c == 0xad)) {
      return String.format("'\\u%04x'", c);
    }
    String q = GoText.quote(new String(Character.toChars(c)));
    return "'" + q.substring(1, q.length() - 1) + "'";
  }

  /**
   * Decodes a JSON tree into {@code metav1.Status} as encoding/json does: unknown keys and {@code null} change
   * nothing, and the first value of a wrong kind fails the decode with Go's {@code json: cannot unmarshal} text once
   * the rest is decoded. TODO: a number's literal in that text is Jackson's rendering, which may differ from the
   * input (1e2 reads as 1E+2).
   */
  private static final class Reader {
    private final boolean foldKeys;
    private String firstError = "";

    Reader(boolean foldKeys) {
      this.foldKeys = foldKeys;
    }

    RemoteCommandStatus status(JsonNode root) {
      String[] s = {"", "", "", "", ""};
      @Nullable Details details = null;
      int code = 0;
      if (!root.isObject()) {
        if (!root.isNull()) {
          mismatch(kindOfValue(root), "Go value of type v1.Status");
        }
      } else {
        List<String> names = List.of("kind", "apiVersion", "metadata", "status", "message", "reason", "details",
            "code");
        for (var e : root.properties()) {
          JsonNode v = e.getValue();
          switch (match(e.getKey(), names)) {
            case "kind" -> s[0] = string(v, "Status", "kind", "string", s[0]);
            case "apiVersion" -> s[1] = string(v, "Status", "apiVersion", "string", s[1]);
            case "metadata" -> listMeta(v);
            case "status" -> s[2] = string(v, "Status", "status", "string", s[2]);
            case "message" -> s[3] = string(v, "Status", "message", "string", s[3]);
            case "reason" -> s[4] = string(v, "Status", "reason", "v1.StatusReason", s[4]);
            case "details" -> details = details(v, details);
            case "code" -> code = (int) integer(v, "Status", "code", "int32", code, Integer.MIN_VALUE,
                Integer.MAX_VALUE);
            default -> { }
          }
        }
      }
      if (!firstError.isEmpty()) {
        throw GoError.of(firstError);
      }
      return new RemoteCommandStatus(s[0], s[1], s[2], s[3], s[4], Optional.ofNullable(details), code);
    }

    private void listMeta(JsonNode v) {
      if (!v.isObject()) {
        if (!v.isNull()) {
          mismatch(kindOfValue(v), "Go struct field Status.metadata of type v1.ListMeta");
        }
        return;
      }
      List<String> names = List.of("selfLink", "resourceVersion", "continue", "remainingItemCount");
      for (var e : v.properties()) {
        String name = match(e.getKey(), names);
        if (name.equals("remainingItemCount")) {
          integer(e.getValue(), "ListMeta", "metadata." + name, "int64", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        } else if (!name.isEmpty()) {
          string(e.getValue(), "ListMeta", "metadata." + name, "string", "");
        }
      }
    }

    private @Nullable Details details(JsonNode v, @Nullable Details current) {
      if (v.isNull()) {
        return null;
      }
      if (!v.isObject()) {
        mismatch(kindOfValue(v), "Go struct field Status.details of type v1.StatusDetails");
        return current;
      }
      Details d = current != null ? current : new Details("", "", "", "", List.of(), 0);
      String[] s = {d.name(), d.group(), d.kind(), d.uid()};
      List<Cause> causes = d.causes();
      int retry = d.retryAfterSeconds();
      List<String> names = List.of("name", "group", "kind", "uid", "causes", "retryAfterSeconds");
      for (var e : v.properties()) {
        JsonNode f = e.getValue();
        String name = match(e.getKey(), names);
        switch (name) {
          case "name", "group", "kind" -> s[names.indexOf(name)] = string(f, "StatusDetails", "details." + name,
              "string", s[names.indexOf(name)]);
          case "uid" -> s[3] = string(f, "StatusDetails", "details.uid", "types.UID", s[3]);
          case "causes" -> causes = causes(f, causes);
          case "retryAfterSeconds" -> retry = (int) integer(f, "StatusDetails", "details.retryAfterSeconds", "int32",
              retry, Integer.MIN_VALUE, Integer.MAX_VALUE);
          default -> { }
        }
      }
      return new Details(s[0], s[1], s[2], s[3], causes, retry);
    }

    private List<Cause> causes(JsonNode v, List<Cause> current) {
      if (v.isNull()) {
        return List.of();
      }
      if (!v.isArray()) {
        mismatch(kindOfValue(v), "Go struct field StatusDetails.details.causes of type []v1.StatusCause");
        return current;
      }
      List<Cause> out = new ArrayList<>();
      List<String> names = List.of("reason", "message", "field");
      for (JsonNode element : v) {
        if (!element.isObject()) {
          if (!element.isNull()) {
            mismatch(kindOfValue(element), "Go struct field StatusDetails.details.causes of type v1.StatusCause");
          }
          out.add(new Cause("", "", ""));
          continue;
        }
        String[] c = {"", "", ""};
        for (var e : element.properties()) {
          String name = match(e.getKey(), names);
          if (!name.isEmpty()) {
            int i = names.indexOf(name);
            c[i] = string(e.getValue(), "StatusCause", "details.causes." + name, i == 0 ? "v1.CauseType" : "string",
                c[i]);
          }
        }
        out.add(new Cause(c[0], c[1], c[2]));
      }
      return out;
    }

    private String match(String key, List<String> names) {
      if (names.contains(key)) {
        return key;
      }
      if (foldKeys) {
        for (String n : names) {
          if (n.equalsIgnoreCase(key) && key.chars().allMatch(ch -> ch < 0x80)) {
            return n;
          }
        }
      }
      return "";
    }

    private String string(JsonNode v, String struct, String path, String type, String current) {
      if (v.isTextual()) {
        return v.textValue();
      }
      if (!v.isNull()) {
        mismatch(kindOfValue(v), "Go struct field " + struct + "." + path + " of type " + type);
      }
      return current;
    }

    private long integer(JsonNode v, String struct, String path, String type, long current, long min, long max) {
      if (v.isNull()) {
        return current;
      }
      String where = "Go struct field " + struct + "." + path + " of type " + type;
      if (!v.isNumber()) {
        mismatch(kindOfValue(v), where);
        return current;
      }
      if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= min && v.longValue() <= max) {
        return v.longValue();
      }
      mismatch("number " + v.asText(), where);
      return current;
    }

    private void mismatch(String what, String target) {
      if (firstError.isEmpty()) {
        firstError = "json: cannot unmarshal " + what + " into " + target;
      }
    }

    private static String kindOfValue(JsonNode v) {
      if (v.isTextual()) {
        return "string";
      }
      if (v.isBoolean()) {
        return "bool";
      }
      if (v.isObject()) {
        return "object";
      }
      if (v.isArray()) {
        return "array";
      }
      return "number";
    }
  }
}
