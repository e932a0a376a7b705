package io.execsim.kubelet;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.cri.ExecResponse;
import io.execsim.core.cri.ExecSyncRequest;
import io.execsim.core.cri.ExecSyncResponse;
import io.execsim.core.cri.RuntimeService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** A runtime whose {@code Exec} answers as the test says and remembers what it was asked. */
final class FakeRuntime implements RuntimeService {
  final List<ExecRequest> calls = new ArrayList<>();
  Function<ExecRequest, CompletionStage<ExecResponse>> answer =
      r -> CompletableFuture.completedFuture(new ExecResponse("http://127.0.0.1:34567/exec/tok123"));

  @Override
  public CompletionStage<ExecResponse> exec(ExecRequest request) {
    calls.add(request);
    return answer.apply(request);
  }

  @Override
  public CompletionStage<ExecSyncResponse> execSync(ExecSyncRequest request) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("not used by these tests"));
  }
}
