package io.execsim.testkit;

import java.nio.charset.StandardCharsets;

/**
 * What a command-line tool run against a simulated node printed and returned, as a shell would see it.
 *
 * @param stdout its standard output
 * @param stderr its standard error
 * @param exitCode its exit code
 */
public record CommandResult(byte[] stdout, byte[] stderr, int exitCode) {

  /** Standard output as UTF-8 text. */
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** Standard error as UTF-8 text. */
  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }
}
