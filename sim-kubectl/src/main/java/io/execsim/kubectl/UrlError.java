package io.execsim.kubectl;

import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;

/**
 * Go's {@code *url.Error}, as {@code http.Client} returns a transport failure: {@code <Op> "<URL>": <err>}. kubectl
 * tells it apart from other errors to print its connection messages.
 */
final class UrlError extends GoError {
  private final String url;
  private final GoError err;

  private UrlError(String op, String url, GoError err) {
    super(op + " " + GoText.quote(url) + ": " + err.text(), err, null);
    this.url = url;
    this.err = err;
  }

  /** The failure of {@code op} (e.g. {@code Get}) on {@code url}. */
  static UrlError of(String op, String url, GoError err) {
    return new UrlError(op, url, err);
  }

  /** The host and port of the URL, as {@code url.Parse(...).Host} has them. */
  String host() {
    String rest = url.substring(url.indexOf("://") + 3);
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** The error of the transport. */
  GoError err() {
    return err;
  }
}
