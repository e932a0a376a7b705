package io.execsim.conformance;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of a scenario: a command whose output is recorded, or an action. A command may have events during it,
 * each a step of its own that runs a set time after the command started.
 *
 * @param kind what the step is
 * @param text the step as the scenario writes it, before variables are replaced
 * @param words {@code text} split as a shell splits it
 * @param env variables added to a command's environment, before their variables are replaced
 * @param after for an event, how long after the command's start it happens; zero for a step
 * @param during the events during a command, in the order of {@code after}
 * @param limit how long a command may run before it is recorded as hung
 */
public record Step(Kind kind, String text, List<String> words, Map<String, String> env, Duration after,
    List<Step> during, Duration limit) {

  /** The longest a command runs before it counts as hung, unless the step sets {@code limit}. */
  public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(30);

  /** What a step is. */
  public enum Kind {
    /** A {@code ctr} command. */
    CTR,
    /** A {@code runc} command. */
    RUNC,
    /** An {@link Action}. */
    DO
  }

  /** Checks the parts and copies them. */
  public Step {
    words = List.copyOf(words);
    env = Map.copyOf(new LinkedHashMap<>(env));
    during = List.copyOf(during);
    if (after.isNegative() || limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("durations must be positive: after " + after + ", limit " + limit);
    }
    if (kind == Kind.DO) {
      if (words.isEmpty()) {
        throw new IllegalArgumentException("an action needs a verb: " + text);
      }
      new Action(Action.Verb.of(words.get(0)), words.subList(1, words.size()));
      if (!during.isEmpty() || !env.isEmpty()) {
        throw new IllegalArgumentException("an action has no events or environment: " + text);
      }
    } else if (words.isEmpty()) {
      throw new IllegalArgumentException("a command needs arguments: " + text);
    }
    words.forEach(Variables::check);
    env.values().forEach(Variables::check);
    Duration last = Duration.ZERO;
    for (Step e : during) {
      if (e.after.compareTo(last) < 0) {
        throw new IllegalArgumentException("events must be in time order: " + e.text + " after " + e.after);
      }
      if (!e.during.isEmpty()) {
        throw new IllegalArgumentException("an event has no events of its own: " + e.text);
      }
      last = e.after;
    }
  }

  /** The action of a {@link Kind#DO} step. */
  public Action action() {
    if (kind != Kind.DO) {
      throw new IllegalStateException("not an action: " + text);
    }
    return new Action(Action.Verb.of(words.get(0)), words.subList(1, words.size()));
  }

  /** The command of a {@code ctr} or {@code runc} step, with {@code vars} replaced. */
  public Command command(Variables vars) {
    if (kind == Kind.DO) {
      throw new IllegalStateException("not a command: " + text);
    }
    Map<String, String> expanded = new LinkedHashMap<>();
    env.forEach((k, v) -> expanded.put(k, vars.expand(v)));
    return new Command(kind == Kind.CTR ? Command.Tool.CTR : Command.Tool.RUNC,
        words.stream().map(vars::expand).toList(), expanded);
  }

  /** The step as written, prefixed by its tool. */
  public String label() {
    return kind == Kind.DO ? text : kind.name().toLowerCase(java.util.Locale.ROOT) + " " + text;
  }
}
