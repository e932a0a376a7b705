package io.execsim.apiserver;

/**
 * The apiserver's authorizer as the exec path meets it: whether a user may use {@code pods/exec} on a pod. A denial
 * reaches the client as {@code 403} with the Forbidden status of the authorization filter.
 */
@FunctionalInterface
public interface ExecAuthorizer {

  /** Allows everything. */
  ExecAuthorizer ALLOW_ALL = attributes -> new Decision.Allow();

  /** Decides on one request. */
  Decision authorize(Attributes attributes);

  /**
   * What is being asked.
   *
   * @param user the authenticated user, {@code system:anonymous} without credentials
   * @param verb {@code create} for POST (SPDY), {@code get} for GET (WebSocket)
   * @param namespace the pod's namespace
   * @param pod the pod's name
   */
  record Attributes(String user, String verb, String namespace, String pod) {
  }

  /** The authorizer's answer. */
  sealed interface Decision {

    /** The request may go on. */
    record Allow() implements Decision {
    }

    /**
     * The request is refused.
     *
     * @param reason the authorizer's reason, appended to the message after {@code ": "}; empty for none (RBAC)
     */
    record Deny(String reason) implements Decision {
    }
  }
}
