package io.execsim.core.fault;

import io.execsim.core.error.GoText;
import io.execsim.core.fault.LinkName.Kind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/** The rules a fault and a plan must keep, each giving the message that says which rule is broken. */
final class Rules {
  private static final Set<Kind> ANY_LINK = EnumSet.allOf(Kind.class);
  private static final Set<Kind> BYTES = EnumSet.of(Kind.BYTE_STREAM, Kind.FIFO);
  private static final Set<Kind> CONNECTIONS = EnumSet.of(Kind.BYTE_STREAM, Kind.CALLS);
  private static final Set<ComponentName> CALLED =
      EnumSet.of(ComponentName.CONTAINERD, ComponentName.SHIM, ComponentName.RUNC);
  private static final Set<ComponentName> CONNECTED = EnumSet.complementOf(EnumSet.of(ComponentName.RUNC));

  private Rules() {
  }

  static void requireNotNegative(String what, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + GoText.duration(d));
    }
  }

  static void requirePositive(String what, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be above zero: " + GoText.duration(d));
    }
  }

  static String printRestart(Duration downtime) {
    return downtime.isZero() ? "restart" : "restart downtime " + GoText.duration(downtime);
  }

  /** The word that names the effect in a plan. */
  static String word(Effect effect) {
    String text = effect.print();
    int space = text.indexOf(' ');
    return space < 0 ? text : text.substring(0, space);
  }

  /** Why {@code effect} cannot act on {@code target}, or nothing when it can. */
  static Optional<String> effectMismatch(Effect effect, Target target) {
    Scope scope = Scope.of(effect);
    if (scope != Scope.of(target)) {
      return Optional.of(word(effect) + " applies to " + scope.description() + ", not to " + target.description());
    }
    if (effect instanceof LinkEffect e && target instanceof Target.Link l && !linkKinds(e).contains(l.link().kind())) {
      return Optional.of(word(e) + " applies to " + plural(linkKinds(e)) + ", not to " + target.description());
    }
    return Optional.empty();
  }

  /** Why {@code trigger} cannot fire a fault on {@code target}, or nothing when it can. */
  static Optional<String> triggerMismatch(Trigger trigger, Target target) {
    Target.Link link = target instanceof Target.Link l ? l : null;
    ComponentName component = target instanceof Target.Component c ? c.name() : null;
    if (trigger instanceof Trigger.AtByte b) {
      if (link == null || !link.link().carriesBytes()) {
        return Optional.of("a byte-offset trigger needs a byte stream or a FIFO, not " + target.description());
      }
      Direction own = link.link().defaultDirection();
      if (link.link().kind() == Kind.FIFO && b.direction() != own) {
        return Optional.of(link.link().label() + " carries bytes " + own.label() + " only: " + b.direction().label());
      }
    } else if (trigger instanceof Trigger.AtCall) {
      boolean called = link != null
          ? link.link().kind() == Kind.CALLS
          : component != null && CALLED.contains(component);
      if (!called) {
        return Optional.of("a call trigger needs a call link, containerd, the shim or runc, not "
            + target.description());
      }
    } else if (trigger instanceof Trigger.AtConnection) {
      boolean connected = link != null
          ? CONNECTIONS.contains(link.link().kind())
          : component != null && CONNECTED.contains(component);
      if (!connected) {
        return Optional.of("a connection trigger needs a byte stream, a call link or a component that accepts"
            + " connections (apiserver, kubelet, streaming, containerd, shim), not " + target.description());
      }
    }
    return Optional.empty();
  }

  /** Why {@code effect} cannot last {@code duration}, or nothing when it can. */
  static Optional<String> durationMismatch(Effect effect, Duration duration) {
    if (duration.isNegative()) {
      return Optional.of("a fault's duration must not be negative: " + GoText.duration(duration));
    }
    if (effect.isInstant() && !duration.isZero()) {
      return Optional.of(word(effect) + " is instant and takes no duration: " + GoText.duration(duration));
    }
    return Optional.empty();
  }

  /**
   * Why fault {@code i} of {@code faults} cannot fire: its byte offset lies past the byte at which an earlier fault
   * surely closes the same way of the same link; or nothing. {@code name} names an earlier fault by its index.
   */
  static Optional<String> pastClosedStream(List<Fault> faults, int i, IntFunction<String> name) {
    Fault fault = faults.get(i);
    if (!(fault.trigger() instanceof Trigger.AtByte at) || !(fault.target() instanceof Target.Link link)) {
      return Optional.empty();
    }
    for (int j = 0; j < i; j++) {
      OptionalLong closed = closesAt(faults.get(j), link.link(), at.direction());
      if (closed.isPresent() && closed.getAsLong() < at.offset()) {
        return Optional.of("a byte offset lies past the end of its stream: " + ByteSize.format(at.offset()) + " "
            + at.direction().label() + " on " + link.link().label() + ", which " + name.apply(j)
            + " closes at byte " + ByteSize.format(closed.getAsLong()));
      }
    }
    return Optional.empty();
  }

  /** The byte at which {@code fault} surely closes {@code way} of {@code name}, when the plan tells. */
  private static OptionalLong closesAt(Fault fault, LinkName name, Direction way) {
    if (!(fault.target() instanceof Target.Link link) || link.link() != name) {
      return OptionalLong.empty();
    }
    Trigger trigger = fault.trigger();
    long from;
    if (trigger instanceof Trigger.AtByte b && b.direction() == way) {
      from = b.offset();
    } else if (trigger instanceof Trigger.AtTime t && t.sinceStart().isZero()) {
      from = 0;
    } else {
      return OptionalLong.empty();
    }
    Effect effect = fault.effect();
    boolean fromByte = trigger instanceof Trigger.AtByte;
    if (effect instanceof LinkEffect.LimitData limit && fault.duration().isZero() && link.direction().includes(way)) {
      // the limit counts from when the fault fired; a limit that ends before it is reached closes nothing for sure
      long end = from + limit.bytes();
      return OptionalLong.of(end < 0 ? Long.MAX_VALUE : end);
    } else if (effect instanceof LinkEffect.Reset && fromByte) {
      return OptionalLong.of(from);
    } else if (effect instanceof LinkEffect.HalfClose && fromByte && link.direction().includes(way)) {
      return OptionalLong.of(from);
    }
    return OptionalLong.empty();
  }

  private static Set<Kind> linkKinds(LinkEffect effect) {
    if (effect instanceof LinkEffect.Latency || effect instanceof LinkEffect.Stall) {
      return ANY_LINK;
    } else if (effect instanceof LinkEffect.Reset) {
      return CONNECTIONS;
    } else if (effect instanceof LinkEffect.CorruptFrame) {
      return EnumSet.of(Kind.BYTE_STREAM);
    }
    return BYTES;
  }

  private static String plural(Set<Kind> kinds) {
    return kinds.stream().map(k -> k.description() + "s").collect(Collectors.joining(" and "));
  }
}
