package io.execsim.core.cri;

import java.util.concurrent.CompletionStage;

/**
 * The exec calls of the CRI {@code RuntimeService} that the kubelet makes of its container runtime. A failed call
 * fails its stage with an {@link io.execsim.core.error.RpcError}, as a gRPC client receives it.
 */
public interface RuntimeService {

  /** Prepares a streaming exec and answers the one-time URL of the streaming server. */
  CompletionStage<ExecResponse> exec(ExecRequest request);

  /** Runs a command to completion without input and answers its output and exit code. */
  CompletionStage<ExecSyncResponse> execSync(ExecSyncRequest request);
}
