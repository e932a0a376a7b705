package io.execsim.core.net;

import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Trace;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A link from {@code kubectl} to {@code apiserver:6443} with a probe at each end, at virtual time zero. */
final class ProbedLink {
  final DeterministicScheduler scheduler = new DeterministicScheduler();
  final Trace trace = new Trace(scheduler);
  final Network network;
  final LinkProbe atClient = new LinkProbe(scheduler);
  final LinkProbe atServer = new LinkProbe(scheduler);
  final Link link;

  ProbedLink(long seed) {
    network = new Network(scheduler, new SimRandom(seed), trace);
    network.listen("apiserver:6443", ch -> ch.pipeline().addLast(atServer));
    link = scheduler.await(network.dial("kubectl", "apiserver:6443", ch -> ch.pipeline().addLast(atClient))).link();
  }

  ProbedLink() {
    this(1);
  }

  LinkDirection toServer() {
    return link.direction(Direction.TO_SERVER);
  }

  LinkDirection toClient() {
    return link.direction(Direction.TO_CLIENT);
  }

  void clientWrites(String text) {
    link.client().writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
  }

  void serverWrites(String text) {
    link.server().writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
  }

  void advance(Duration d) {
    scheduler.advance(d);
  }

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  static LinkProbe.Read read(long atMillis, String text) {
    return new LinkProbe.Read(ms(atMillis), text);
  }
}
