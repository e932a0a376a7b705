package io.execsim.kubectl;

import io.execsim.core.outcome.ClientObservation;
import io.execsim.core.outcome.ClientProtocol;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the user of kubectl sees: its standard output and error, and its exit code.
 *
 * @param stdout what kubectl wrote to standard output: the command's output
 * @param stderr what kubectl wrote to standard error: the command's error output, then kubectl's own message
 * @param exitCode kubectl's exit code
 * @param protocol the stream protocol the exec ran over, when it got that far: {@code websocket} or
 *     {@code SPDY/3.1}
 * @param message kubectl's own message, the last line it wrote to standard error, when it printed one
 */
public record KubectlResult(byte[] stdout, byte[] stderr, int exitCode, Optional<String> protocol,
    Optional<String> message) {

  /** Standard output as UTF-8 text. */
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** Standard error as UTF-8 text. */
  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }

  /** What the user saw, as the client half of an exec's outcome. */
  public ClientObservation observation() {
    return new ClientObservation(stdout, stderr, exitCode, message, protocol.map(ClientProtocol::ofLabel));
  }
}
