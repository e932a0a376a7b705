package io.execsim.apiserver;

import io.execsim.core.http.RawConnection;
import io.execsim.core.net.Network;
import io.execsim.core.net.SimChannel;
import io.execsim.core.sched.DeterministicScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** A test client that writes raw bytes and collects what comes back. */
final class RawClient {
  private final RawConnection conn;
  private final StringBuilder received = new StringBuilder();

  private RawClient(RawConnection conn) {
    this.conn = conn;
    conn.read(this::take);
  }

  static RawClient dial(DeterministicScheduler scheduler, Network network, String address) {
    SimChannel ch = scheduler.await(network.dial("kubectl", address, c -> RawConnection.install(c, scheduler)));
    return new RawClient(ch.pipeline().get(RawConnection.class));
  }

  private void take(ByteBuf buf) {
    received.append(buf.toString(StandardCharsets.ISO_8859_1));
    buf.release();
  }

  void send(String text) {
    conn.write(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
  }

  String received() {
    return received.toString();
  }

  boolean isOpen() {
    return conn.isOpen();
  }
}
