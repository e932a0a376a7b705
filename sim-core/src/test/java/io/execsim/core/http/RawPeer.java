package io.execsim.core.http;

import io.execsim.core.net.Network;
import io.execsim.core.net.SimChannel;
import io.execsim.core.sched.DeterministicScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A test peer that writes and reads raw bytes on a simulated connection. */
final class RawPeer {
  private final RawConnection conn;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private boolean closed;

  private RawPeer(RawConnection conn) {
    this.conn = conn;
    conn.read(this::take);
    conn.onClose(() -> closed = true);
  }

  static RawPeer dial(DeterministicScheduler scheduler, Network network, String from, String address) {
    SimChannel ch = scheduler.await(network.dial(from, address, c -> RawConnection.install(c, scheduler)));
    return new RawPeer(ch.pipeline().get(RawConnection.class));
  }

  private void take(ByteBuf buf) {
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    received.writeBytes(bytes);
  }

  void send(String text) {
    conn.write(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
  }

  String received() {
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  boolean isClosed() {
    return closed;
  }

  void close() {
    conn.close();
  }
}
