package io.execsim.testkit.jqwik;

import io.execsim.core.fault.Fault;
import io.execsim.core.fault.FaultPlan;
import io.execsim.testkit.ContainerImage;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimPod;
import io.execsim.testkit.junit.SimulatedCluster;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.JqwikException;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.CannotResolveParameterException;
import net.jqwik.api.lifecycle.FalsifiedSample;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.Lifespan;
import net.jqwik.api.lifecycle.ParameterResolutionContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.ResolveParameterHook;
import net.jqwik.api.lifecycle.Store;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;
import org.jspecify.annotations.Nullable;
import org.junit.platform.commons.support.ReflectionSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jqwik lifecycle hook behind {@link ExecSimProperties}; {@code @AddLifecycleHook(ExecSimHook.class)} adds it
 * as well. It reaches every property below the element it is added to.
 *
 * <p>It resolves each property parameter annotated {@link SimulatedCluster}, of type {@link SimCluster}, to a fresh
 * deterministic cluster for every try, shrinking tries included, and closes the cluster when its try ends (closing
 * ends its faults first). The annotation says what to build as it does for the JUnit extension: the default
 * cluster (nodes {@code node-1} to {@code node-N}, pod {@code default/web} on {@code node-1} with the busybox
 * container {@code app}) or the builder a factory method of the test class returns; its seed, the same for every
 * try of the property, or the system property {@value SimulatedCluster#SEED_PROPERTY} when set.
 *
 * <p>When a property fails, it publishes one report through jqwik's reporter, under the key
 * {@value #REPORT_KEY}, and logs the same at WARN: for the sample jqwik shrank to (else the first failing one),
 * each cluster's seed, the fault plans it ran, its trace as text and as a Mermaid diagram, and how to replay the
 * run. A failing try also adds a one-line footnote with the cluster's seed and plans to jqwik's own sample report.
 *
 * <p>jqwik makes one instance of a hook for a whole run; what a property needs lives in a store of the property's
 * lifespan. Tries run on jqwik's thread for the property, or on the thread it shrinks on when shrinking is bounded
 * in time; each cluster is used on the thread of its try.
 */
public final class ExecSimHook implements ResolveParameterHook, AroundPropertyHook, AroundTryHook {
  /** The key of the report a failed property publishes. */
  public static final String REPORT_KEY = "execsim";

  private static final Logger log = LoggerFactory.getLogger(ExecSimHook.class);
  private static final String STORE_KEY = ExecSimHook.class.getName() + ".clusters";

  /** What jqwik instantiates. */
  public ExecSimHook() {
  }

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public Optional<ParameterSupplier> resolve(ParameterResolutionContext parameterContext,
      LifecycleContext lifecycleContext) {
    Parameter p = parameterContext.parameter();
    SimulatedCluster spec = p.getAnnotation(SimulatedCluster.class);
    if (spec == null) {
      return Optional.empty();
    }
    if (p.getType() != SimCluster.class) {
      throw new CannotResolveParameterException(parameterContext,
          "@SimulatedCluster needs a parameter of type SimCluster: " + p.getType().getName());
    }
    if (!(lifecycleContext instanceof PropertyLifecycleContext property)
        || !parameterContext.optionalMethod().equals(Optional.of(property.targetMethod()))) {
      throw new CannotResolveParameterException(parameterContext,
          "@SimulatedCluster in a jqwik container gives a cluster to a parameter of a property method only");
    }
    long seed = seed(spec, System.getProperty(SimulatedCluster.SEED_PROPERTY)).orElseThrow(() ->
        new CannotResolveParameterException(parameterContext, SimulatedCluster.SEED_PROPERTY
            + " must be a whole number: " + System.getProperty(SimulatedCluster.SEED_PROPERTY)));
    Supplier<SimCluster.Builder> builder = builder(spec, property, parameterContext);
    String name = "parameter " + p.getName() + " of " + property.targetMethod().getName();
    Clusters clusters = clusters();
    return Optional.of(optionalTry -> clusters.open(name, seed, () -> builder.get().seed(seed).build()));
  }

  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
    Clusters clusters = clusters();
    PropertyExecutionResult result;
    try {
      result = property.execute();
    } finally {
      closeAll(clusters.end()).ifPresent(e -> log.warn("{}: closing a cluster no try used failed",
          context.extendedLabel(), e));
    }
    if (result.status() == PropertyExecutionResult.Status.FAILED) {
      Optional<FalsifiedSample> sample = result.shrunkSample().<FalsifiedSample>map(s -> s)
          .or(result::originalSample);
      List<Failure> failures = sample.map(s -> clusters.failures(s.parameters())).orElse(List.of());
      if (!failures.isEmpty()) {
        report(context, result.seed().orElse(""), failures);
      }
    }
    return result;
  }

  @Override
  public TryExecutionResult aroundTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters)
      throws Throwable {
    Clusters clusters = clusters();
    List<Opened> used = clusters.claim(parameters);
    TryExecutionResult result;
    try {
      result = aTry.execute(parameters);
    } catch (Throwable t) {
      closeAll(used).ifPresent(t::addSuppressed);
      throw t;
    }
    if (result.isFalsified() && !used.isEmpty()) {
      List<String> footnotes = new ArrayList<>();
      for (Opened o : used) {
        Failure f = Failure.of(o);
        clusters.failed(o.cluster(), f);
        footnotes.add(f.footnote());
      }
      result = result.withFootnotes(footnotes);
    }
    Optional<RuntimeException> closing = closeAll(used);
    if (closing.isPresent()) {
      if (!result.isFalsified()) {
        // a cluster that cannot close is a failure of the run, even when the property held
        return TryExecutionResult.falsified(closing.get());
      }
      log.warn("{}: closing the cluster of a failed try failed", context.label(), closing.get());
    }
    return result;
  }

  /** The seed a cluster gets: {@code property}, the system property's value, when set, else the annotation's. */
  static Optional<Long> seed(SimulatedCluster spec, @Nullable String property) {
    if (property == null || property.isBlank()) {
      return Optional.of(spec.seed());
    }
    try {
      return Optional.of(Long.parseLong(property.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** What builds a cluster as {@code spec} says, checked now and run once per try. */
  private static Supplier<SimCluster.Builder> builder(SimulatedCluster spec, PropertyLifecycleContext property,
      ParameterResolutionContext parameter) {
    if (spec.factory().isEmpty()) {
      if (spec.nodes() < 1) {
        throw new CannotResolveParameterException(parameter, "@SimulatedCluster needs at least 1 node: "
            + spec.nodes());
      }
      return () -> defaultCluster(spec.nodes());
    }
    if (spec.nodes() != 1) {
      throw new CannotResolveParameterException(parameter, "@SimulatedCluster takes nodes or a factory, not both: "
          + "nodes=" + spec.nodes() + ", factory=" + spec.factory());
    }
    Class<?> owner = property.containerClass();
    Method m = ReflectionSupport.findMethod(owner, spec.factory()).orElseThrow(() ->
        new CannotResolveParameterException(parameter, "@SimulatedCluster names a factory that "
            + owner.getName() + " does not have: " + spec.factory() + "()"));
    if (!SimCluster.Builder.class.isAssignableFrom(m.getReturnType())) {
      throw new CannotResolveParameterException(parameter,
          "a @SimulatedCluster factory must return SimCluster.Builder: " + m);
    }
    @Nullable Object target = Modifier.isStatic(m.getModifiers()) ? null : property.testInstance();
    return () -> {
      Object built = ReflectionSupport.invokeMethod(m, target);
      if (built == null) {
        throw new JqwikException("a @SimulatedCluster factory returned null: " + m);
      }
      return (SimCluster.Builder) built;
    };
  }

  /** Nodes {@code node-1} to {@code node-<count>}, and pod {@code default/web} on node-1 with busybox {@code app}. */
  private static SimCluster.Builder defaultCluster(int count) {
    SimCluster.Builder b = SimCluster.builder();
    for (int i = 1; i <= count; i++) {
      b.node("node-" + i);
    }
    return b.pod(SimPod.running(Commands.NAMESPACE, Commands.POD, "node-1", Commands.CONTAINER,
        ContainerImage.busybox()));
  }

  private static Clusters clusters() {
    return Store.getOrCreate(STORE_KEY, Lifespan.PROPERTY, Clusters::new).get();
  }

  /** Closes every cluster of {@code opened}; the first failure, the others suppressed in it. */
  private static Optional<RuntimeException> closeAll(List<Opened> opened) {
    RuntimeException first = null;
    for (Opened o : opened) {
      try {
        o.cluster().close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return Optional.ofNullable(first);
  }

  private static void report(PropertyLifecycleContext context, String jqwikSeed, List<Failure> failures) {
    String test = context.containerClass().getSimpleName() + "#" + context.targetMethod().getName();
    String replay = replay(context, test, jqwikSeed, failures);
    StringBuilder text = new StringBuilder();
    text.append("execsim: property ").append(test).append(" failed\n");
    text.append("replay: ").append(replay).append('\n');
    failures.forEach(f -> text.append(f.text()));
    String report = text.toString().stripTrailing();
    context.reporter().publishValue(REPORT_KEY, report);
    log.warn("{} failed; cluster seed {}; {}\n{}", test, seeds(failures), replay, report);
  }

  /** How to run the failing case again: jqwik's after-failure mode, then the seeds that pin it. */
  private static String replay(PropertyLifecycleContext context, String test, String jqwikSeed,
      List<Failure> failures) {
    AfterFailureMode mode = context.attributes().afterFailure().orElse(AfterFailureMode.NOT_SET);
    String next = switch (mode) {
      case NOT_SET -> "jqwik tries the failing sample first on the next run (SAMPLE_FIRST, its default after-failure"
          + " mode)";
      case SAMPLE_FIRST, SAMPLE_ONLY -> "jqwik tries the failing sample first on the next run (" + mode + ")";
      case PREVIOUS_SEED -> "jqwik runs the same seed again on the next run (PREVIOUS_SEED)";
      case RANDOM_SEED -> "jqwik picks a new seed on the next run (RANDOM_SEED)";
    };
    Set<Long> seeds = seeds(failures);
    String clusterSeed = seeds.size() == 1
        ? "-D" + SimulatedCluster.SEED_PROPERTY + "=" + seeds.iterator().next()
        : "each cluster's seed as its @SimulatedCluster names it (no -D" + SimulatedCluster.SEED_PROPERTY + ")";
    return next + "; to pin this run: @Property(seed = \"" + jqwikSeed + "\") with " + clusterSeed + " -Dtest="
        + test;
  }

  private static Set<Long> seeds(List<Failure> failures) {
    return failures.stream().map(Failure::seed).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** A cluster handed to a try, and how the report names it. */
  private record Opened(String name, long seed, SimCluster cluster) {
  }

  /**
   * What a failed try's cluster did, taken before the cluster closed.
   *
   * @param name the parameter the cluster was given to
   * @param seed the cluster's seed
   * @param plans the fault plans of its execs, in order
   * @param trace its trace as text
   * @param mermaid its trace as a Mermaid sequence diagram
   */
  private record Failure(String name, long seed, List<FaultPlan> plans, String trace, String mermaid) {
    static Failure of(Opened o) {
      SimCluster c = o.cluster();
      return new Failure(o.name(), o.seed(), c.plans(), c.trace().render(), c.trace().toMermaid());
    }

    /** One line for jqwik's sample report: the seed and the plans, each in brackets, faults split by {@code ;}. */
    String footnote() {
      String inline = plans.isEmpty() ? "none" : plans.stream()
          .map(p -> p.faults().isEmpty() ? "[no faults]"
              : p.faults().stream().map(Fault::print).collect(Collectors.joining("; ", "[", "]")))
          .collect(Collectors.joining(" "));
      return "execsim cluster of " + name + ": seed " + seed + ", fault plans " + inline;
    }

    /** The cluster's part of the report. */
    String text() {
      StringBuilder b = new StringBuilder();
      b.append("cluster of ").append(name).append(", seed ").append(seed).append('\n');
      b.append("fault plans:\n");
      if (plans.isEmpty()) {
        b.append("  none\n");
      }
      for (int i = 0; i < plans.size(); i++) {
        b.append("  plan ").append(i + 1).append(":\n");
        String printed = plans.get(i).print();
        b.append(printed.isEmpty() ? "    (no faults)\n" : printed.indent(4));
      }
      b.append("trace:\n").append(trace.isBlank() ? "  (no events)\n" : trace.indent(2));
      b.append("mermaid:\n```mermaid\n").append(mermaid.stripTrailing()).append("\n```\n");
      return b.toString();
    }
  }

  /**
   * The clusters of one property: those handed out and not yet taken by a try, and what failed tries' clusters did,
   * by cluster. jqwik asks for the parameters again to print the samples after the property ended; from then on it
   * gets the last cluster, closed, rather than a new one.
   */
  private static final class Clusters {
    private final Map<SimCluster, Opened> open = new IdentityHashMap<>();
    private final Map<SimCluster, Failure> failed = new IdentityHashMap<>();
    private boolean ended;
    private @Nullable SimCluster last;

    synchronized SimCluster open(String name, long seed, Supplier<SimCluster> build) {
      if (ended && last != null) {
        return last;
      }
      SimCluster cluster = build.get();
      last = cluster;
      if (ended) {
        cluster.close();
      } else {
        open.put(cluster, new Opened(name, seed, cluster));
      }
      return cluster;
    }

    /** The clusters among a try's parameters, taken from those handed out: the try closes them. */
    synchronized List<Opened> claim(List<Object> parameters) {
      List<Opened> mine = new ArrayList<>();
      for (Object p : parameters) {
        if (p instanceof SimCluster c && open.containsKey(c)) {
          mine.add(open.remove(c));
        }
      }
      return mine;
    }

    synchronized void failed(SimCluster cluster, Failure failure) {
      failed.put(cluster, failure);
    }

    /** What the clusters among a failed sample's parameters did. */
    synchronized List<Failure> failures(List<Object> parameters) {
      List<Failure> found = new ArrayList<>();
      for (Object p : parameters) {
        if (p instanceof SimCluster c && failed.containsKey(c)) {
          found.add(failed.get(c));
        }
      }
      return found;
    }

    /** Ends the property: answers the clusters no try took, for the caller to close. */
    synchronized List<Opened> end() {
      ended = true;
      List<Opened> left = List.copyOf(open.values());
      open.clear();
      return left;
    }
  }
}
