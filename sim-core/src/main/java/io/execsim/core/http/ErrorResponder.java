package io.execsim.core.http;

import io.execsim.core.error.GoError;

/**
 * How a proxy hop answers an error it met while setting up a proxied request, as apimachinery's
 * {@code proxy.ErrorResponder}: the response for the error.
 */
@FunctionalInterface
public interface ErrorResponder {

  /** The response that reports {@code err} to the client. */
  GoResponse respond(GoError err);

  /** The kubelet's responder: {@code http.Error(w, err.Error(), 500)}, plain text. */
  static ErrorResponder plainText() {
    return err -> GoResponse.httpError(500, err.text());
  }

  /**
   * The apiserver's responder ({@code ErrorNegotiated}): a {@code metav1.Status}, 500 with an empty reason for a
   * plain error, the status's own code and reason for a {@link io.execsim.core.remotecommand.StatusError}.
   */
  static ErrorResponder apiStatus() {
    return err -> GoResponse.apiStatus(ApiStatus.of(err));
  }
}
