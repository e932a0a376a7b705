package io.execsim.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The kubelet's back-off for restarting containers ({@code CrashLoopBackOff}), as client-go's
 * {@code flowcontrol.Backoff} keeps it with the kubelet's settings: 10 s after the first restart, doubled at each
 * restart up to 5 min, and forgotten once a container has run for twice that long. The kubelet restarts a container
 * at once the first time, and later only when its back-off since the container's end has passed.
 */
final class RestartBackOff {
  /** The kubelet's {@code backOffPeriod}: the first back-off, and the wait before a pod worker tries again. */
  static final Duration PERIOD = Duration.ofSeconds(10);
  /** The kubelet's {@code MaxContainerBackOff}. */
  static final Duration MAX = Duration.ofMinutes(5);

  private record Entry(Duration backOff, Instant lastUpdate) {
  }

  private final Map<String, Entry> entries = new HashMap<>();

  /** Whether a restart of {@code key}, which ended at {@code ended}, must still wait at {@code now}. */
  synchronized boolean isInBackOffSince(String key, Instant ended, Instant now) {
    Entry e = entries.get(key);
    if (e == null || expired(ended, e)) {
      return false;
    }
    return Duration.between(ended, now).compareTo(e.backOff) < 0;
  }

  /** The back-off of {@code key} now, zero if it has none. */
  synchronized Duration get(String key) {
    Entry e = entries.get(key);
    return e == null ? Duration.ZERO : e.backOff;
  }

  /** Records a restart of {@code key}, which ended at {@code ended}, at {@code now}: the next back-off grows. */
  synchronized void next(String key, Instant ended, Instant now) {
    Entry e = entries.get(key);
    Duration backOff = e == null || expired(ended, e) ? PERIOD : min(e.backOff.multipliedBy(2), MAX);
    entries.put(key, new Entry(backOff, now));
  }

  /** {@code hasExpired}: a container that ran twice the longest back-off since its last restart starts afresh. */
  private static boolean expired(Instant ended, Entry e) {
    return Duration.between(e.lastUpdate, ended).compareTo(MAX.multipliedBy(2)) > 0;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
