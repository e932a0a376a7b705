package io.execsim.core.remotecommand;

import java.util.List;
import java.util.Map;

/**
 * Where a streaming request goes on the simulated network.
 *
 * @param address the {@code host:port} to dial
 * @param host the value of the {@code Host} header
 * @param pathAndQuery the request target, e.g. {@code /exec/ns/pod/c?command=echo&output=1}
 * @param headers extra request headers, each name with its values in order
 */
public record ExecTarget(String address, String host, String pathAndQuery, Map<String, List<String>> headers) {

  /** Copies the headers. */
  public ExecTarget {
    headers = Map.copyOf(headers);
  }
}
