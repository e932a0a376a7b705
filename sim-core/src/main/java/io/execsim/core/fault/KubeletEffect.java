package io.execsim.core.fault;

import io.execsim.core.error.GoText;
import java.time.Duration;

/** What a fault does to the kubelet. */
public sealed interface KubeletEffect extends Effect {
  /**
   * The kubelet refuses connections; the client sees
   * {@code error dialing backend: dial tcp <node>:10250: connect: connection refused}.
   */
  record Down() implements KubeletEffect {
    @Override
    public String print() {
      return "down";
    }
  }

  /**
   * The kubelet drops both legs of every exec it proxies and serves again after {@code downtime}; the process goes
   * on, and kubectl may exit 0 with nothing printed. Instant.
   *
   * @param downtime how long it refuses connections before it serves again
   */
  record Restart(Duration downtime) implements KubeletEffect {
    /** Checks the downtime. */
    public Restart {
      Rules.requireNotNegative("a restart's downtime", downtime);
    }

    @Override
    public String print() {
      return Rules.printRestart(downtime);
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }

  /** The kubelet answers 401 to the apiserver; the client sees {@code unable to upgrade connection: Unauthorized}. */
  record Unauthorized() implements KubeletEffect {
    @Override
    public String print() {
      return "unauthorized";
    }
  }

  /**
   * The kubelet answers 403 to the apiserver; the client sees
   * {@code unable to upgrade connection: Forbidden (user=..., verb=create, resource=nodes, subresource=proxy)}.
   */
  record Forbidden() implements KubeletEffect {
    @Override
    public String print() {
      return "forbidden";
    }
  }

  /**
   * The kubelet answers every request {@code delay} late; the client sees the same answers, later.
   *
   * @param delay the added delay, above zero
   */
  record Slow(Duration delay) implements KubeletEffect {
    /** Checks the delay. */
    public Slow {
      Rules.requirePositive("a slow kubelet's delay", delay);
    }

    @Override
    public String print() {
      return "slow " + GoText.duration(delay);
    }
  }
}
