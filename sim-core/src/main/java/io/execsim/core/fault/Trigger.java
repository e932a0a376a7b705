package io.execsim.core.fault;

import io.execsim.core.error.GoText;
import io.execsim.core.trace.Phase;
import java.time.Duration;

/**
 * When a fault fires: at a phase of the exec, at a byte offset on its link, at a virtual time since the exec
 * started, or on the Nth call or connection its target receives.
 */
public sealed interface Trigger {
  /** The trigger as a fault plan writes it, e.g. {@code at phase process-running}. */
  String print();

  /** When the exec reaches {@code phase}. */
  static AtPhase atPhase(Phase phase) {
    return new AtPhase(phase);
  }

  /** When {@code offset} bytes have crossed the fault's link in {@code direction}. */
  static AtByte atByte(long offset, Direction direction) {
    return new AtByte(offset, direction);
  }

  /** When {@code sinceStart} of virtual time has passed since the exec started. */
  static AtTime atTime(Duration sinceStart) {
    return new AtTime(sinceStart);
  }

  /** When the exec starts. */
  static AtTime atStart() {
    return new AtTime(Duration.ZERO);
  }

  /** On the {@code n}th call, counted from 1. */
  static AtCall atCall(int n) {
    return new AtCall(n);
  }

  /** On the {@code n}th connection, counted from 1. */
  static AtConnection atConnection(int n) {
    return new AtConnection(n);
  }

  /**
   * When the exec reaches a phase, at the first hop that records it.
   *
   * @param phase the phase, written by its label
   */
  record AtPhase(Phase phase) implements Trigger {
    @Override
    public String print() {
      return "at phase " + phase.label();
    }
  }

  /**
   * When a number of bytes have crossed the fault's link one way, counted from the start of the connection (or of
   * the FIFO); only a link that carries bytes has offsets.
   *
   * @param offset how many bytes have crossed, 0 for before the first
   * @param direction the way the bytes are counted, not both
   */
  record AtByte(long offset, Direction direction) implements Trigger {
    /** Checks the offset and the direction. */
    public AtByte {
      if (offset < 0) {
        throw new IllegalArgumentException("a byte offset must not be negative: " + offset);
      }
      if (direction == Direction.BOTH) {
        throw new IllegalArgumentException(
            "a byte offset counts one way, toward-process or toward-client: " + direction.label());
      }
    }

    @Override
    public String print() {
      return "at byte " + ByteSize.format(offset) + " " + direction.label();
    }
  }

  /**
   * When an amount of virtual time has passed since the exec started.
   *
   * @param sinceStart the time since the exec started, 0 for at once
   */
  record AtTime(Duration sinceStart) implements Trigger {
    /** Checks the time. */
    public AtTime {
      if (sinceStart.isNegative()) {
        throw new IllegalArgumentException(
            "a time trigger must not be negative: " + GoText.duration(sinceStart));
      }
    }

    @Override
    public String print() {
      return "at time " + GoText.duration(sinceStart);
    }
  }

  /**
   * On a call its target receives: a CRI call on {@code kubelet-containerd} or by containerd, a task call on
   * {@code containerd-shim} or by the shim, an invocation of runc.
   *
   * @param n which call of the run, counted from 1
   */
  record AtCall(int n) implements Trigger {
    /** Checks the count. */
    public AtCall {
      if (n < 1) {
        throw new IllegalArgumentException("calls are counted from 1: " + n);
      }
    }

    @Override
    public String print() {
      return "at call " + n;
    }
  }

  /**
   * On a connection of its target: a connection of a byte stream or of the calls of a link, or one a component
   * accepts.
   *
   * @param n which connection of the run, counted from 1
   */
  record AtConnection(int n) implements Trigger {
    /** Checks the count. */
    public AtConnection {
      if (n < 1) {
        throw new IllegalArgumentException("connections are counted from 1: " + n);
      }
    }

    @Override
    public String print() {
      return "at connection " + n;
    }
  }
}
