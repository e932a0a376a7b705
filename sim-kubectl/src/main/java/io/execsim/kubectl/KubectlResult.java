package io.execsim.kubectl;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the user of kubectl sees: its standard output and error, and its exit code.
 *
 * @param stdout what kubectl wrote to standard output: the command's output
 * @param stderr what kubectl wrote to standard error: the command's error output, then kubectl's own message
 * @param exitCode kubectl's exit code
 * @param protocol the stream protocol the exec ran over, when it got that far
 */
public record KubectlResult(byte[] stdout, byte[] stderr, int exitCode, Optional<String> protocol) {

  /** Standard output as UTF-8 text. */
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** Standard error as UTF-8 text. */
  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }
}
