package io.execsim.kubelet;

/**
 * What the kubelet's authentication and authorization filter decides for every request, as the filter of
 * {@code pkg/kubelet/server/server.go} answers: the texts are go-restful's {@code WriteErrorString} bodies.
 */
public sealed interface KubeletAuth {

  /** Every request passes: the client is authenticated and authorized. */
  record Allow() implements KubeletAuth {
  }

  /** Authentication fails: the client sees {@code 401} with the body {@code Unauthorized}. */
  record Unauthenticated() implements KubeletAuth {
  }

  /**
   * The client authenticates as {@code user} and is not authorized: it sees {@code 403} with
   * {@code Forbidden (user=<user>, verb=<verb>, resource=nodes, subresource(s)=[proxy])} and a newline.
   *
   * @param user the name the client authenticated as, e.g. {@code kube-apiserver-kubelet-client}
   */
  record Forbidden(String user) implements KubeletAuth {
  }

  /**
   * The authorizer itself fails (a SubjectAccessReview error): the client sees {@code 500} with
   * {@code Authorization error (user=<user>, verb=<verb>, resource=nodes, subresource=proxy)}.
   *
   * @param user the name the client authenticated as
   */
  record AuthorizerError(String user) implements KubeletAuth {
  }
}
