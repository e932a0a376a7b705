package io.execsim.cri.streaming;

import io.execsim.core.cri.ExecRequest;
import io.execsim.cri.Containerd;
import io.execsim.cri.ExecStreams;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the streaming server needs of its runtime, as the CRI streaming library's {@code Runtime} plus its request
 * cache: the pending exec behind a token, and the exec itself, which gets the client's streams and terminal sizes.
 */
public interface StreamRuntime {

  /** Takes the exec request of {@code token}: once only, and only within the token's time to live. */
  Optional<ExecRequest> redeem(String token);

  /**
   * Runs {@code cmd} in container {@code containerId} with the client's streams. Completes normally on exit code 0;
   * fails with {@link io.execsim.cri.CodeExitError} for another code, or with another
   * {@link io.execsim.core.error.GoError} when the exec could not run.
   */
  CompletionStage<Void> exec(String containerId, List<String> cmd, ExecStreams streams);

  /** containerd's streaming runtime: its token cache and {@link Containerd#streamExec}. */
  static StreamRuntime of(Containerd containerd) {
    return new StreamRuntime() {
      @Override
      public Optional<ExecRequest> redeem(String token) {
        return containerd.redeem(token);
      }

      @Override
      public CompletionStage<Void> exec(String containerId, List<String> cmd, ExecStreams streams) {
        return containerd.streamExec(containerId, cmd, streams);
      }
    };
  }
}
