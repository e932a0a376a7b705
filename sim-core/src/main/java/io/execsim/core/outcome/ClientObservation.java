package io.execsim.core.outcome;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client of the exec chain saw: the command's output as it arrived, the client's own error text, and the
 * client's exit code. This is all a real caller can know.
 *
 * @param stdout the bytes the client wrote to its standard output
 * @param stderr the bytes the client wrote to its standard error, the command's and the client's own message
 * @param exitCode the client's exit code, 0 to 255
 * @param error the client's own message, as kubectl prints it last on standard error (e.g.
 *     {@code command terminated with exit code 3} or {@code error: unable to upgrade connection: Unauthorized});
 *     empty when it printed none
 * @param protocol the stream protocol the exec ran over; empty when the client failed before it chose one
 */
public record ClientObservation(byte[] stdout, byte[] stderr, int exitCode, Optional<String> error,
    Optional<ClientProtocol> protocol) {

  /** client-go's {@code CodeExitError} text, the one message that reports the process's own exit status. */
  private static final Pattern EXIT_TEXT = Pattern.compile("command terminated with exit code (\\d{1,3})");

  /** Copies the bytes and checks the exit code. */
  public ClientObservation {
    if (exitCode < 0 || exitCode > 255) {
      throw new IllegalArgumentException("an exit code must be 0 to 255: " + exitCode);
    }
    stdout = stdout.clone();
    stderr = stderr.clone();
  }

  @Override
  public byte[] stdout() {
    return stdout.clone();
  }

  @Override
  public byte[] stderr() {
    return stderr.clone();
  }

  /** Standard output as UTF-8 text. */
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** Standard error as UTF-8 text. */
  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }

  /** Whether the client reported success: exit code 0 and no message of its own. */
  public boolean reportsSuccess() {
    return exitCode == 0 && error.isEmpty();
  }

  /**
   * The exit status of the remote process as the client reported it: 0 for a reported success, {@code N} when the
   * client printed {@code command terminated with exit code N} and exited {@code N}; empty when the client reported
   * a failure of the chain rather than of the process.
   */
  public OptionalInt reportedExitStatus() {
    if (reportsSuccess()) {
      return OptionalInt.of(0);
    }
    if (error.isEmpty()) {
      return OptionalInt.empty();
    }
    Matcher m = EXIT_TEXT.matcher(error.get());
    if (m.matches() && Integer.parseInt(m.group(1)) == exitCode) {
      return OptionalInt.of(exitCode);
    }
    return OptionalInt.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientObservation c && Arrays.equals(stdout, c.stdout) && Arrays.equals(stderr, c.stderr)
        && exitCode == c.exitCode && error.equals(c.error) && protocol.equals(c.protocol);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(stdout) + Arrays.hashCode(stderr)) + exitCode + error.hashCode();
  }

  @Override
  public String toString() {
    return "ClientObservation[exitCode=" + exitCode + ", error=" + error.orElse("(none)") + ", protocol="
        + protocol.map(ClientProtocol::label).orElse("(none)") + ", stdout=" + stdout.length + " bytes, stderr="
        + stderr.length + " bytes]";
  }
}
