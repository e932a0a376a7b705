package io.execsim.core.websocket;

import io.execsim.core.error.GoError;
import io.execsim.core.net.Network;
import io.execsim.core.remotecommand.ExecTarget;
import io.execsim.core.remotecommand.RemoteCommandExecutor;
import io.execsim.core.remotecommand.RemoteCommandStatus;
import io.execsim.core.remotecommand.StreamOptions;
import io.execsim.core.sched.SimRandom;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * client-go's WebSocket executor ({@code NewWebSocketExecutor}): it dials the target on the simulated network,
 * upgrades with {@code v5.channel.k8s.io} as the only subprotocol, and streams: stdin as channel 0 messages and the
 * close signal at its end, channels 1 and 2 into the local sinks, resize sizes as channel 4 JSON, and the error
 * channel read until the connection ends. A ping goes out every {@link #PING_PERIOD}; a pong pushes the read
 * deadline {@link #READ_DEADLINE} forward.
 *
 * <p>The stage completes normally when the status says success or no status came (as client-go does), fails with
 * an {@link io.execsim.core.remotecommand.UpgradeFailureError} when the handshake failed (the one failure kubectl
 * falls back to SPDY from), with an {@link io.execsim.core.remotecommand.ExitCodeError} or another {@link GoError}
 * as client-go's v4 decoder reads the status ({@link RemoteCommandStatus#decodeErrorStream}), or with client-go's
 * {@code error reading from error stream: ...} when the connection ended badly. The local sinks are closed at the
 * end; the local stdin is not.
 *
 * <p>Runs on the network's scheduler; every random choice (key, masks) comes from the given seeded source.
 */
public final class WebSocketExecutor implements RemoteCommandExecutor {
  /** How often client-go sends a ping. */
  public static final Duration PING_PERIOD = Duration.ofSeconds(5);
  /** How long client-go waits for a pong: twelve pings and a second. */
  public static final Duration READ_DEADLINE = PING_PERIOD.multipliedBy(12).plusSeconds(1);

  private final Network network;
  private final String clientName;
  private final ExecTarget target;
  private final SimRandom random;

  /** An executor that dials {@code target} as {@code clientName}, drawing its key and masks from {@code random}. */
  public WebSocketExecutor(Network network, String clientName, ExecTarget target, SimRandom random) {
    this.network = network;
    this.clientName = clientName;
    this.target = target;
    this.random = random;
  }

  /** Upgrades one connection and streams until the server is done; see the class comment for the outcomes. */
  @Override
  public CompletionStage<Void> stream(StreamOptions options) {
    return new WebSocketClientExec(network, clientName, target, random, options).start();
  }
}
