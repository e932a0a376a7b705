package io.execsim.testkit;

import io.execsim.core.fault.LinkName;
import io.execsim.core.net.ByteWay;

/** Hears of each FIFO of an exec on a node as it opens ({@link SimNode#onExecFifo}). */
@FunctionalInterface
public interface ExecFifoListener {
  /**
   * The FIFO of {@code stream} ({@link LinkName#STDIN}, {@link LinkName#STDOUT} or {@link LinkName#STDERR}) of exec
   * {@code execId} in container {@code containerId} opened; toxics put on {@code way} now act from its first byte.
   * Runs on the simulation's thread.
   */
  void fifo(String containerId, String execId, LinkName stream, ByteWay way);
}
