package io.execsim.core.cri;

import java.nio.charset.StandardCharsets;

/**
 * The CRI {@code ExecSyncResponse}.
 *
 * @param stdout the command's standard output, at most 16 MiB
 * @param stderr its standard error, at most 16 MiB
 * @param exitCode its exit code
 */
public record ExecSyncResponse(byte[] stdout, byte[] stderr, int exitCode) {

  /** Standard output as UTF-8 text. */
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** Standard error as UTF-8 text. */
  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }
}
