package io.execsim.apiserver;

import io.execsim.core.remotecommand.ExecTarget;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * The apiserver's WebSocket-to-SPDY stream translator ({@code StreamTranslatorHandler}, Kubernetes 1.30 and later),
 * to which the apiserver hands a WebSocket upgrade that offers {@code v5.channel.k8s.io} once the pod and its
 * container are checked. The translator answers the client on {@code ctx}'s channel, whose pipeline still holds
 * Netty's {@code HttpServerCodec} and {@code HttpObjectAggregator} before {@code ctx}'s handler (which passes on
 * anything that is not a request), and reaches the kubelet as a SPDY client of its own.
 *
 * <p>Called on the simulation's thread. {@code request} is valid only during the call: retain it to keep it.
 */
@FunctionalInterface
public interface StreamTranslator {

  /** Takes over the exec request {@code request} whose kubelet side is {@code kubelet}. */
  void translate(ChannelHandlerContext ctx, FullHttpRequest request, ExecTarget kubelet, ExecOptions options);
}
