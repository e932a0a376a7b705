package io.execsim.core.http;

import io.execsim.core.json.GoJsonEncoder;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.execsim.core.error.GoError;
import io.execsim.core.remotecommand.StatusError;
import java.util.List;
import java.util.Optional;

/**
 * A {@code metav1.Status} as the apiserver sends it for a failed request, built the way apimachinery's
 * {@code apierrors} constructors build it, and written as {@code json.Marshal} writes the Go struct.
 *
 * @param status {@code Success} or {@code Failure}
 * @param message the text a client shows, e.g. {@code pods "p" not found}
 * @param reason the machine-readable reason, e.g. {@code NotFound}; empty when unknown
 * @param details extra data of the reason, when it has any
 * @param code the HTTP status code the response carries
 */
public record ApiStatus(String status, String message, String reason, Optional<Details> details, int code) {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The {@code status} of a failed request. */
  public static final String FAILURE = "Failure";

  /** {@code apierrors.NewNotFound} for an object of the core group: {@code <resource> "<name>" not found}. */
  public static ApiStatus notFound(String resource, String name) {
    return new ApiStatus(FAILURE, resource + " " + GoJsonEncoder.quote(name) + " not found", "NotFound",
        Optional.of(new Details(name, "", resource, List.of(), 0)), 404);
  }

  /** The apiserver's answer for a path it does not serve, as its not-found handler writes it. */
  public static ApiStatus pathNotFound() {
    return new ApiStatus(FAILURE, "the server could not find the requested resource", "NotFound", Optional.empty(),
        404);
  }

  /** {@code apierrors.NewBadRequest}: a 400 with {@code message} as it is. */
  public static ApiStatus badRequest(String message) {
    return new ApiStatus(FAILURE, message, "BadRequest", Optional.empty(), 400);
  }

  /**
   * {@code apierrors.NewForbidden} for an object of the core group: {@code <resource> "<name>" is forbidden: <why>}
   * ({@code <resource> is forbidden: <why>} without a name).
   */
  public static ApiStatus forbidden(String resource, String name, String why) {
    String message = name.isEmpty()
        ? resource + " is forbidden: " + why
        : resource + " " + GoJsonEncoder.quote(name) + " is forbidden: " + why;
    return new ApiStatus(FAILURE, message, "Forbidden", Optional.of(new Details(name, "", resource, List.of(), 0)),
        403);
  }

  /** {@code apierrors.NewUnauthorized} with an empty reason, as the authentication filter answers a bad token. */
  public static ApiStatus unauthorized() {
    return new ApiStatus(FAILURE, "Unauthorized", "Unauthorized", Optional.empty(), 401);
  }

  /** {@code apierrors.NewInternalError}: {@code Internal error occurred: <err>}, the error again as the cause. */
  public static ApiStatus internalError(String err) {
    return new ApiStatus(FAILURE, "Internal error occurred: " + err, "InternalError",
        Optional.of(new Details("", "", "", List.of(new Cause("", err, "")), 0)), 500);
  }

  /**
   * The status go-restful's 405 becomes in the apiserver ({@code NewGenericServerResponse}): reason
   * {@code MethodNotAllowed} and empty details.
   */
  public static ApiStatus methodNotAllowed() {
    return new ApiStatus(FAILURE, "the server does not allow this method on the requested resource",
        "MethodNotAllowed", Optional.of(new Details("", "", "", List.of(), 0)), 405);
  }

  /**
   * The status {@code responsewriters.ErrorToAPIStatus} makes of {@code err}: a {@link StatusError} keeps its
   * message, reason and code; any other error becomes a 500 whose message is the error's text and whose reason is
   * empty.
   */
  public static ApiStatus of(GoError err) {
    if (err instanceof StatusError s) {
      return new ApiStatus(FAILURE, s.text(), s.reason(), Optional.empty(), s.code() == 0 ? 500 : s.code());
    }
    return new ApiStatus(FAILURE, err.text(), "", Optional.empty(), 500);
  }

  /** The status as the JSON object Go writes, fields in the order of the Go struct, empty ones left out. */
  public ObjectNode toJsonNode() {
    ObjectNode o = NODES.objectNode();
    o.put("kind", "Status");
    o.put("apiVersion", "v1");
    o.putObject("metadata");
    putIfSet(o, "status", status);
    putIfSet(o, "message", message);
    putIfSet(o, "reason", reason);
    details.ifPresent(d -> o.set("details", d.toJsonNode()));
    if (code != 0) {
      o.put("code", code);
    }
    return o;
  }

  /** The status as {@code json.Marshal} writes it, without a trailing newline. */
  public String toJson() {
    return GoJsonEncoder.marshal(toJsonNode());
  }

  private static void putIfSet(ObjectNode o, String key, String value) {
    if (!value.isEmpty()) {
      o.put(key, value);
    }
  }

  /**
   * The {@code details} of a status.
   *
   * @param name the name of the object concerned
   * @param group its API group
   * @param kind its resource or kind, e.g. {@code pods}
   * @param causes the causes, in order
   * @param retryAfterSeconds how long a client should wait before retrying; 0 when it need not
   */
  public record Details(String name, String group, String kind, List<Cause> causes, int retryAfterSeconds) {

    /** Copies the causes. */
    public Details {
      causes = List.copyOf(causes);
    }

    ObjectNode toJsonNode() {
      ObjectNode o = NODES.objectNode();
      putIfSet(o, "name", name);
      putIfSet(o, "group", group);
      putIfSet(o, "kind", kind);
      if (!causes.isEmpty()) {
        ArrayNode a = o.putArray("causes");
        for (Cause c : causes) {
          ObjectNode n = a.addObject();
          putIfSet(n, "reason", c.reason());
          putIfSet(n, "message", c.message());
          putIfSet(n, "field", c.field());
        }
      }
      if (retryAfterSeconds != 0) {
        o.put("retryAfterSeconds", retryAfterSeconds);
      }
      return o;
    }
  }

  /**
   * One cause of a status.
   *
   * @param reason its type, written under the JSON key {@code reason}
   * @param message its text
   * @param field the field it concerns
   */
  public record Cause(String reason, String message, String field) {
  }
}
