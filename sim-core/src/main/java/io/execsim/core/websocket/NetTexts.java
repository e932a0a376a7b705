package io.execsim.core.websocket;

import io.execsim.core.error.GoError;
import io.execsim.core.net.SimChannel;
import io.netty.channel.Channel;

/**
 * Go's {@code net.OpError} texts for one end of a connection, {@code read tcp <local>-><remote>: <err>}. A simulated
 * link has names, not IP addresses: the dialing end is named by its dialer ({@code kubectl}), the listening end by
 * its address ({@code apiserver:6443}).
 */
final class NetTexts {
  private NetTexts() {
  }

  /** {@code read tcp L->R: i/o timeout}: a read deadline passed. */
  static GoError readTimeout(Channel channel) {
    return GoError.of("read tcp " + endpoints(channel) + ": i/o timeout");
  }

  /** {@code write tcp L->R: use of closed network connection}: a write after this end closed. */
  static GoError writeOnClosed(Channel channel) {
    return GoError.of("write tcp " + endpoints(channel) + ": use of closed network connection");
  }

  /** The name of the connection for logs. */
  static String id(Channel channel) {
    return channel instanceof SimChannel sim ? sim.link().name() : channel.id().asShortText();
  }

  private static String endpoints(Channel channel) {
    if (!(channel instanceof SimChannel sim)) {
      return channel.localAddress() + "->" + channel.remoteAddress();
    }
    String name = sim.link().name();
    int hash = name.lastIndexOf('#');
    String ends = hash < 0 ? name : name.substring(0, hash);
    int arrow = ends.indexOf("->");
    String dialer = ends.substring(0, arrow);
    String listener = ends.substring(arrow + 2);
    return sim.isClient() ? dialer + "->" + listener : listener + "->" + dialer;
  }
}
