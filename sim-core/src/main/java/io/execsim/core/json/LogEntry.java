package io.execsim.core.json;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of runc's {@code log.json} as containerd's shim reads it, into the Go struct
 * {@code struct { Level string; Msg string; Time time.Time }}.
 *
 * @param level the {@code level} key, such as {@code error}
 * @param msg the {@code msg} key, untrimmed
 * @param time the {@code time} key as an instant; Go's zero time when the key has never been set
 */
public record LogEntry(String level, String msg, Instant time) {
  /** The value of a fresh Go variable of the struct: empty strings and Go's zero time, 0001-01-01T00:00:00Z. */
  public static final LogEntry ZERO = new LogEntry("", "", GoTime.ZERO);

  /** Checks that no component is null. */
  public LogEntry {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(msg, "msg");
    Objects.requireNonNull(time, "time");
  }
}
