package io.execsim.core.fault;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoDuration;
import io.execsim.core.process.Signal;
import io.execsim.core.trace.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads the text form of a fault plan, as {@link FaultPlan} describes it, naming the line and column of an error. */
final class PlanParser {
  private static final Map<Scope, Map<String, EffectReader>> EFFECTS = effects();
  private static final Map<String, LinkName> LINKS = labels(LinkName.values(), LinkName::label);
  private static final Map<String, Direction> DIRECTIONS = labels(Direction.values(), Direction::label);
  private static final Map<String, ComponentName> COMPONENTS = labels(ComponentName.values(), ComponentName::label);
  private static final Map<String, Phase> PHASES = labels(Phase.values(), Phase::label);
  private static final Map<String, Errno> ERRNOS = labels(Errno.values(), Errno::name);
  private static final Map<String, Signal> SIGNALS = labels(Signal.values(), Signal::name);
  private static final Map<String, RuncEffect.File> RUNC_FILES =
      labels(RuncEffect.File.values(), RuncEffect.File::label);
  private static final List<String> TARGETS = targets();
  private static final List<String> TRIGGERS = List.of("phase", "byte", "time", "call", "connection");

  private PlanParser() {
  }

  static FaultPlan parse(String text) {
    List<Fault> faults = new ArrayList<>();
    List<Integer> lineNumbers = new ArrayList<>();
    List<Integer> triggerColumns = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Words words = Words.of(i + 1, lines[i]);
      if (words.isBlank()) {
        continue;
      }
      Line line = line(words);
      faults.add(line.fault());
      lineNumbers.add(i + 1);
      triggerColumns.add(line.triggerColumn());
    }
    for (int i = 0; i < faults.size(); i++) {
      Optional<String> past = Rules.pastClosedStream(faults, i, j -> "line " + lineNumbers.get(j));
      if (past.isPresent()) {
        throw syntax(lineNumbers.get(i), triggerColumns.get(i), past.get());
      }
    }
    return new FaultPlan(faults);
  }

  private record Line(Fault fault, int triggerColumn) {
  }

  private static Line line(Words words) {
    Target target = target(words);
    Word effectWord = words.take("an effect");
    Effect effect = effect(words, target, effectWord);
    Trigger trigger = Trigger.atStart();
    int triggerColumn = words.column();
    Optional<Word> at = words.takeIf("at");
    if (at.isPresent()) {
      trigger = trigger(words, target, at.get());
    }
    Duration duration = Duration.ZERO;
    Optional<Word> forWord = words.takeIf("for");
    if (forWord.isPresent()) {
      duration = words.duration("a duration");
      words.check(forWord.get(), Rules.durationMismatch(effect, duration));
    }
    if (!words.isDone()) {
      Word extra = words.take("");
      throw words.error(extra, "a fault ends after its trigger and duration (at ..., for ...): " + extra.text());
    }
    return new Line(new Fault(target, effect, trigger, duration), triggerColumn);
  }

  private static Target target(Words words) {
    Word word = words.take("a target");
    switch (word.text()) {
      case "link" -> {
        LinkName name = words.lookup("link", LINKS);
        Optional<Word> way = words.takeDirection();
        Direction direction = way.map(w -> DIRECTIONS.get(w.text())).orElse(name.defaultDirection());
        return words.build(way.orElse(word), () -> Target.link(name, direction));
      }
      case "mount" -> {
        Word path = words.take("a mount path");
        return words.build(path, () -> Target.mount(path.text()));
      }
      case "process" -> {
        return Target.process();
      }
      case "container" -> {
        return Target.container();
      }
      default -> {
        ComponentName component = COMPONENTS.get(word.text());
        if (component == null) {
          throw words.error(word, "unknown target: " + word.text() + " (one of: " + String.join(", ", TARGETS) + ")");
        }
        return Target.component(component);
      }
    }
  }

  private static Effect effect(Words words, Target target, Word word) {
    Scope scope = Scope.of(target);
    EffectReader reader = EFFECTS.get(scope).get(word.text());
    if (reader == null) {
      List<String> others = EFFECTS.entrySet().stream()
          .filter(e -> e.getValue().containsKey(word.text()))
          .map(e -> e.getKey().description())
          .collect(Collectors.toList());
      if (!others.isEmpty()) {
        throw words.error(word, word.text() + " applies to " + either(others) + ", not to " + target.description());
      }
      throw words.error(word, "unknown effect on " + scope.description() + ": " + word.text()
          + " (one of: " + String.join(", ", EFFECTS.get(scope).keySet()) + ")");
    }
    Effect effect = words.build(word, () -> reader.read(words));
    words.check(word, Rules.effectMismatch(effect, target));
    return effect;
  }

  private static Trigger trigger(Words words, Target target, Word at) {
    Word kind = words.take("a trigger (" + String.join(", ", TRIGGERS) + ")");
    Trigger trigger = switch (kind.text()) {
      case "phase" -> Trigger.atPhase(words.lookup("phase", PHASES));
      case "time" -> words.build(kind, () -> Trigger.atTime(words.duration("a time")));
      case "call" -> words.build(kind, () -> Trigger.atCall(words.count("a call number")));
      case "connection" -> words.build(kind, () -> Trigger.atConnection(words.count("a connection number")));
      case "byte" -> byteTrigger(words, target, kind);
      default -> throw words.error(kind, "unknown trigger: " + kind.text()
          + " (one of: " + String.join(", ", TRIGGERS) + ")");
    };
    words.check(at, Rules.triggerMismatch(trigger, target));
    return trigger;
  }

  private static Trigger byteTrigger(Words words, Target target, Word kind) {
    long offset = words.size("a byte offset");
    Optional<Word> way = words.takeDirection();
    Direction direction = way.map(w -> DIRECTIONS.get(w.text())).orElseGet(() -> impliedWay(target));
    if (way.isEmpty() && direction == Direction.BOTH) {
      throw words.error(kind, "a byte offset on a link in both directions names its way after the offset"
          + " (toward-process or toward-client): " + kind.text() + " " + ByteSize.format(offset));
    }
    return words.build(way.orElse(kind), () -> Trigger.atByte(offset, direction));
  }

  /** The way a byte offset is counted when the plan names none: the target link's own way. */
  private static Direction impliedWay(Target target) {
    // off a link any single way will do: the trigger's rule on the target then says what is wrong
    return target instanceof Target.Link l ? l.direction() : Direction.TOWARD_CLIENT;
  }

  /** Reads the parameters of one effect, after its word. */
  private interface EffectReader {
    Effect read(Words words);
  }

  private static Map<Scope, Map<String, EffectReader>> effects() {
    Map<Scope, Map<String, EffectReader>> all = new EnumMap<>(Scope.class);
    Map<String, EffectReader> link = new LinkedHashMap<>();
    link.put("latency", w -> new LinkEffect.Latency(
        w.duration("a latency"), w.takeIf("jitter").isPresent() ? w.duration("a jitter") : Duration.ZERO));
    link.put("bandwidth", PlanParser::bandwidth);
    link.put("stall", w -> new LinkEffect.Stall());
    link.put("reset", w -> new LinkEffect.Reset());
    link.put("half-close", w -> new LinkEffect.HalfClose());
    link.put("slicer", w -> new LinkEffect.Slicer(
        w.size("an average size"),
        w.takeIf("variation").isPresent() ? w.size("a size variation") : 0,
        w.takeIf("delay").isPresent() ? w.duration("a delay") : Duration.ZERO));
    link.put("limit-data", w -> new LinkEffect.LimitData(w.size("a byte count")));
    link.put("corrupt-frame", w -> new LinkEffect.CorruptFrame());
    all.put(Scope.LINK, link);
    Map<String, EffectReader> apiserver = new LinkedHashMap<>();
    apiserver.put("down", w -> new ApiserverEffect.Down());
    apiserver.put("restart", w -> new ApiserverEffect.Restart(downtime(w)));
    all.put(Scope.APISERVER, apiserver);
    Map<String, EffectReader> kubelet = new LinkedHashMap<>();
    kubelet.put("down", w -> new KubeletEffect.Down());
    kubelet.put("restart", w -> new KubeletEffect.Restart(downtime(w)));
    kubelet.put("unauthorized", w -> new KubeletEffect.Unauthorized());
    kubelet.put("forbidden", w -> new KubeletEffect.Forbidden());
    kubelet.put("slow", w -> new KubeletEffect.Slow(w.duration("a delay")));
    all.put(Scope.KUBELET, kubelet);
    Map<String, EffectReader> streaming = new LinkedHashMap<>();
    streaming.put("token-expired", w -> new StreamingEffect.TokenExpired());
    streaming.put("token-reused", w -> new StreamingEffect.TokenReused());
    streaming.put("too-many-in-flight", w -> new StreamingEffect.TooManyInFlight());
    streaming.put("streams-never-created", w -> new StreamingEffect.StreamsNeverCreated());
    all.put(Scope.STREAMING, streaming);
    Map<String, EffectReader> containerd = new LinkedHashMap<>();
    containerd.put("down", w -> new ContainerdEffect.Down());
    containerd.put("restart", w -> new ContainerdEffect.Restart(downtime(w)));
    containerd.put("deadline-exceeded", w -> new ContainerdEffect.DeadlineExceeded());
    all.put(Scope.CONTAINERD, containerd);
    Map<String, EffectReader> shim = new LinkedHashMap<>();
    shim.put("killed", w -> new ShimEffect.Killed());
    shim.put("hung", w -> new ShimEffect.Hung());
    all.put(Scope.SHIM, shim);
    Map<String, EffectReader> runc = new LinkedHashMap<>();
    runc.put("fails-to-start", w -> new RuncEffect.FailsToStart(
        w.lookup("errno", ERRNOS), w.lookup("runc file", RUNC_FILES)));
    runc.put("slow", w -> new RuncEffect.Slow(w.duration("a delay")));
    all.put(Scope.RUNC, runc);
    Map<String, EffectReader> mount = new LinkedHashMap<>();
    mount.put("full", PlanParser::full);
    mount.put("read-only", w -> new MountEffect.ReadOnly());
    all.put(Scope.MOUNT, mount);
    Map<String, EffectReader> process = new LinkedHashMap<>();
    process.put("killed", w -> new ProcessEffect.Killed(w.lookup("signal", SIGNALS)));
    process.put("never-exits", w -> new ProcessEffect.NeverExits());
    process.put("exits-early", w -> new ProcessEffect.ExitsEarly(w.keyword("code").count("an exit code")));
    all.put(Scope.PROCESS, process);
    Map<String, EffectReader> container = new LinkedHashMap<>();
    container.put("stopped", w -> new ContainerEffect.Stopped());
    container.put("paused", w -> new ContainerEffect.Paused());
    all.put(Scope.CONTAINER, container);
    return all;
  }

  private static Duration downtime(Words words) {
    return words.takeIf("downtime").isPresent() ? words.duration("a downtime") : Duration.ZERO;
  }

  private static Effect bandwidth(Words words) {
    Word rate = words.take("a rate, e.g. 64KiB/s");
    if (!rate.text().endsWith("/s")) {
      throw words.error(rate, "a bandwidth is a size per second, e.g. 64KiB/s: " + rate.text());
    }
    String size = rate.text().substring(0, rate.text().length() - 2);
    return words.build(rate, () -> new LinkEffect.Bandwidth(ByteSize.parse(size)));
  }

  private static Effect full(Words words) {
    Word what = words.take("bytes or inodes");
    return switch (what.text()) {
      case "bytes" -> new MountEffect.FullBytes();
      case "inodes" -> new MountEffect.FullInodes();
      default -> throw words.error(what, "a mount is full by bytes or by inodes: " + what.text());
    };
  }

  private static String either(List<String> descriptions) {
    int last = descriptions.size() - 1;
    return last == 0
        ? descriptions.get(0)
        : String.join(", ", descriptions.subList(0, last)) + " or " + descriptions.get(last);
  }

  private static <T> Map<String, T> labels(T[] values, Function<T, String> label) {
    Map<String, T> byLabel = new LinkedHashMap<>();
    Arrays.stream(values).forEach(v -> byLabel.put(label.apply(v), v));
    return byLabel;
  }

  private static List<String> targets() {
    List<String> all = new ArrayList<>(List.of("link"));
    all.addAll(COMPONENTS.keySet());
    all.addAll(List.of("mount", "process", "container"));
    return List.copyOf(all);
  }

  private static IllegalArgumentException syntax(int line, int column, String message) {
    return new PlanSyntaxError("line " + line + ", column " + column + ": " + message);
  }

  /** A word of a line, with the column it starts at, counted from 1. */
  private record Word(String text, int column) {
  }

  /** An error that already names its line and column. */
  private static final class PlanSyntaxError extends IllegalArgumentException {
    PlanSyntaxError(String message) {
      super(message);
    }
  }

  /** The words of one line, read from left to right. */
  private static final class Words {
    private final int line;
    private final int end;
    private final List<Word> words;
    private int next;

    private Words(int line, int end, List<Word> words) {
      this.line = line;
      this.end = end;
      this.words = words;
    }

    static Words of(int line, String text) {
      String body = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      List<Word> words = new ArrayList<>();
      int i = 0;
      while (i < body.length()) {
        if (body.charAt(i) == ' ' || body.charAt(i) == '\t') {
          i++;
          continue;
        }
        int start = i;
        while (i < body.length() && body.charAt(i) != ' ' && body.charAt(i) != '\t') {
          i++;
        }
        words.add(new Word(body.substring(start, i), start + 1));
      }
      return new Words(line, body.length() + 1, words);
    }

    /** Whether the line holds no fault: it is empty, white space, or a comment. */
    boolean isBlank() {
      return words.isEmpty() || words.get(0).text().startsWith("#");
    }

    boolean isDone() {
      return next == words.size();
    }

    /** The column of the next word, or of the end of the line. */
    int column() {
      return isDone() ? end : words.get(next).column();
    }

    Optional<Word> peek() {
      return isDone() ? Optional.empty() : Optional.of(words.get(next));
    }

    /** Takes the next word if it names a direction, which is optional wherever it is allowed. */
    Optional<Word> takeDirection() {
      Optional<Word> word = peek().filter(w -> DIRECTIONS.containsKey(w.text()));
      word.ifPresent(w -> next++);
      return word;
    }

    Word take(String expected) {
      if (isDone()) {
        throw syntax(line, end, "expected " + expected + ": end of line");
      }
      return words.get(next++);
    }

    Optional<Word> takeIf(String keyword) {
      Optional<Word> word = peek().filter(w -> w.text().equals(keyword));
      word.ifPresent(w -> next++);
      return word;
    }

    Words keyword(String keyword) {
      Word word = take(keyword);
      if (!word.text().equals(keyword)) {
        throw error(word, "expected " + keyword + ": " + word.text());
      }
      return this;
    }

    <T> T lookup(String what, Map<String, T> known) {
      Word word = take("a " + what);
      T value = known.get(word.text());
      if (value == null) {
        throw error(word,
            "unknown " + what + ": " + word.text() + " (one of: " + String.join(", ", known.keySet()) + ")");
      }
      return value;
    }

    Duration duration(String what) {
      Word word = take(what);
      return build(word, () -> GoDuration.parse(word.text()));
    }

    long size(String what) {
      Word word = take(what);
      return build(word, () -> ByteSize.parse(word.text()));
    }

    int count(String what) {
      Word word = take(what);
      if (!word.text().matches("-?[0-9]{1,9}")) {
        throw error(word, what + " is a whole number: " + word.text());
      }
      return Integer.parseInt(word.text());
    }

    /** Builds a value, naming {@code at} in the message of a rule the value's checks find broken. */
    <T> T build(Word at, Builder<T> builder) {
      try {
        return builder.build();
      } catch (PlanSyntaxError e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw error(at, e.getMessage());
      }
    }

    void check(Word at, Optional<String> broken) {
      if (broken.isPresent()) {
        throw error(at, broken.get());
      }
    }

    IllegalArgumentException error(Word at, String message) {
      return syntax(line, at.column(), message);
    }
  }

  /** Builds a value whose checks may throw. */
  private interface Builder<T> {
    T build();
  }
}
