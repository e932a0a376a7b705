package io.execsim.core.fault;

/** What a fault does to the CRI streaming server that containerd runs. */
public sealed interface StreamingEffect extends Effect {
  /** The exec's token has expired from the server's cache: it answers 404 and the upgrade fails. Instant. */
  record TokenExpired() implements StreamingEffect {
    @Override
    public String print() {
      return "token-expired";
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }

  /** The exec's token was already used once: the server answers 404 and the upgrade fails. Instant. */
  record TokenReused() implements StreamingEffect {
    @Override
    public String print() {
      return "token-reused";
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }

  /** The server's request cache is full: the CRI {@code Exec} call fails and the client sees 429 Too Many Requests. */
  record TooManyInFlight() implements StreamingEffect {
    @Override
    public String print() {
      return "too-many-in-flight";
    }
  }

  /**
   * The server upgrades the connection but its streams are never created: the client waits out the 30 s
   * stream-creation timeout and fails with {@code Timeout occurred}. Instant.
   */
  record StreamsNeverCreated() implements StreamingEffect {
    @Override
    public String print() {
      return "streams-never-created";
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }
}
