package io.execsim.testkit.assertions;

import io.execsim.core.outcome.ClientObservation;
import io.execsim.core.outcome.GroundTruth;
import io.execsim.core.trace.TraceEvent;
import java.time.Duration;
import java.util.List;

/** How failure messages show what a component printed, a list of names, and a trace. */
final class Texts {
  /** Output past this many characters is cut; a failure message is read by a person, not diffed. */
  private static final int MAX_CHARS = 4_000;
  /** A trace past this many events is cut in the middle of a message. */
  private static final int MAX_EVENTS = 200;

  private Texts() {
  }

  /** {@code text} on one line, quoted, with line ends and tabs escaped so that a missing newline shows. */
  static String quoted(String text) {
    String shown = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> b.append(c);
      }
    }
    b.append('"');
    if (shown.length() < text.length()) {
      b.append(" ... (").append(text.length() - shown.length()).append(" more characters)");
    }
    return b.toString();
  }

  /** One name a line, each indented; {@code none} when there are none. */
  static String lines(List<String> items) {
    if (items.isEmpty()) {
      return "  none";
    }
    StringBuilder b = new StringBuilder();
    for (String item : items) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append("  ").append(item);
    }
    return b.toString();
  }

  /** The events as a trace renders them, indented, cut after the first {@value #MAX_EVENTS}. */
  static String trace(List<TraceEvent> events) {
    if (events.isEmpty()) {
      return "  (no events)";
    }
    StringBuilder b = new StringBuilder();
    int shown = Math.min(events.size(), MAX_EVENTS);
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        b.append('\n');
      }
      b.append("  ").append(events.get(i).render());
    }
    if (shown < events.size()) {
      b.append("\n  ... (").append(events.size() - shown).append(" more events)");
    }
    return b.toString();
  }

  /** What happened in the container, in a sentence: never started, still runs, or how it ended. */
  static String truth(GroundTruth truth) {
    String exec = truth.execId().map(id -> "exec " + id).orElse("no exec id");
    String what;
    if (!truth.started()) {
      what = truth.execId().isPresent() ? "the process never started (runc was invoked for " + exec + ")"
          : "the process never started (the exec never reached runc)";
    } else if (truth.isRunning()) {
      what = "the process (pid " + truth.pid().getAsInt() + ", " + exec + ") still runs";
    } else {
      what = "the process (pid " + truth.pid().getAsInt() + ", " + exec + ") ended with "
          + truth.exit().orElseThrow();
    }
    return truth.changes().isEmpty() ? what : what + "; the container's files changed: " + truth.changes();
  }

  /** What kubectl showed, in a sentence: its exit code and its standard error. */
  static String observed(ClientObservation observed) {
    return "kubectl exited with " + observed.exitCode() + "; stderr: " + quoted(observed.stderrText());
  }

  /** A span of virtual time, short: {@code 5h}, {@code 1m30s}, {@code 250ms}. */
  static String duration(Duration d) {
    if (d.toMillis() < 1_000) {
      return d.toMillis() + "ms";
    }
    StringBuilder b = new StringBuilder();
    if (d.toHours() > 0) {
      b.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      b.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      b.append(d.toSecondsPart()).append('s');
    }
    if (d.toMillisPart() > 0) {
      b.append(d.toMillisPart()).append("ms");
    }
    return b.toString();
  }
}
