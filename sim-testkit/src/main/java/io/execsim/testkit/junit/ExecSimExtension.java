package io.execsim.testkit.junit;

import io.execsim.testkit.ContainerImage;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimPod;
import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the deterministic {@link SimCluster}s that {@link SimulatedCluster} asks for, injects them, and closes
 * them: a parameter's and an instance field's cluster when the test ends, a static field's when the test class
 * ends. {@link SimulatedCluster} registers the extension itself; {@code @ExtendWith(ExecSimExtension.class)} on
 * the class does no harm.
 *
 * <p>When a test fails, for each cluster the test used (its own and its class's) the extension publishes a report
 * entry (see {@link ExtensionContext#publishReportEntry(java.util.Map)}) and logs at WARN: the seed, the fault plans
 * of the cluster's execs, the trace as text and as a Mermaid diagram, and how to replay the run, e.g.
 * {@code rerun with -Dexecsim.seed=7 -Dtest=DeployTest#rollout}. It writes the same text to
 * {@code target/execsim/<test class>/<test method>.txt} below Maven's {@code basedir} (else the working directory),
 * so that CI keeps it. A cluster of a whole class carries what every test before did, so its replay reruns the
 * class.
 *
 * <p>Callbacks run on JUnit's thread for the test; a cluster is meant for the thread that runs its test.
 */
public final class ExecSimExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver,
    AfterEachCallback, AfterAllCallback {
  private static final Logger log = LoggerFactory.getLogger(ExecSimExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
      ExecSimExtension.class);
  /** The last segment of a repeated or parameterized test's unique id, which numbers the invocation. */
  private static final Pattern INVOCATION = Pattern.compile("\\[[a-z-]+-invocation:#(\\d+)]$");

  /** What JUnit instantiates. */
  public ExecSimExtension() {
  }

  /** A cluster built for a context, and how to name and replay it. */
  private record Opened(String name, long seed, SimCluster cluster, boolean perClass) {
  }

  /**
   * The clusters built in one context, closed with it; closing is idempotent, and the store closes them too should
   * a callback never run.
   */
  private static final class Clusters implements AutoCloseable {
    private final List<Opened> opened = new ArrayList<>();

    synchronized void add(Opened o) {
      opened.add(o);
    }

    synchronized List<Opened> list() {
      return List.copyOf(opened);
    }

    @Override
    public void close() {
      List<Opened> all;
      synchronized (this) {
        all = List.copyOf(opened);
        opened.clear();
      }
      RuntimeException first = null;
      for (Opened o : all) {
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
      if (first != null) {
        throw first;
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    injectFields(context, testClass, context.getTestInstance().orElse(null), ModifierSupport::isStatic, true);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      injectFields(context, instance.getClass(), instance, ModifierSupport::isNotStatic, false);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.isAnnotated(SimulatedCluster.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Parameter p = parameterContext.getParameter();
    Executable e = parameterContext.getDeclaringExecutable();
    if (p.getType() != SimCluster.class) {
      throw new ParameterResolutionException("@SimulatedCluster needs a parameter of type SimCluster: " + p + " of "
          + e);
    }
    SimulatedCluster spec = parameterContext.findAnnotation(SimulatedCluster.class).orElseThrow();
    Optional<Object> target = parameterContext.getTarget();
    Class<?> owner = target.<Class<?>>map(Object::getClass).orElseGet(() -> extensionContext.getTestClass()
        .filter(e.getDeclaringClass()::isAssignableFrom).orElse(e.getDeclaringClass()));
    boolean perClass = extensionContext.getTestMethod().isEmpty();
    // without javac -parameters a parameter is known by its position only
    String name = p.isNamePresent() ? p.getName() : "#" + (parameterContext.getIndex() + 1);
    return open(extensionContext, "parameter " + name + " of " + e.getName(), spec, owner, target.orElse(null),
        perClass);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      context.getExecutionException().ifPresent(failure -> report(context, failure, inScope(context)));
    } finally {
      clusters(context).close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      context.getExecutionException().ifPresent(failure -> report(context, failure, inScope(context)));
    } finally {
      clusters(context).close();
    }
  }

  private void injectFields(ExtensionContext context, Class<?> type, @Nullable Object instance,
      Predicate<Field> which, boolean perClass) {
    for (Field f : AnnotationSupport.findAnnotatedFields(type, SimulatedCluster.class, which)) {
      if (f.getType() != SimCluster.class) {
        throw new ExtensionConfigurationException("@SimulatedCluster needs a field of type SimCluster: " + f);
      }
      if (ModifierSupport.isFinal(f)) {
        throw new ExtensionConfigurationException("@SimulatedCluster cannot set a final field: " + f);
      }
      SimulatedCluster spec = f.getAnnotation(SimulatedCluster.class);
      SimCluster cluster = open(context, "field " + f.getName(), spec, type, instance, perClass);
      try {
        ReflectionSupport.makeAccessible(f).set(instance, cluster);
      } catch (IllegalAccessException e) {
        throw new ExtensionConfigurationException("@SimulatedCluster cannot set the field " + f, e);
      }
    }
  }

  private static SimCluster open(ExtensionContext context, String name, SimulatedCluster spec, Class<?> owner,
      @Nullable Object instance, boolean perClass) {
    long seed = seed(spec);
    SimCluster cluster = builder(spec, owner, instance).seed(seed).build();
    clusters(context).add(new Opened(name, seed, cluster, perClass));
    log.debug("{}: cluster for {} built with seed {}", context.getUniqueId(), name, seed);
    return cluster;
  }

  /** The annotation's seed, unless the system property names another. */
  private static long seed(SimulatedCluster spec) {
    String property = System.getProperty(SimulatedCluster.SEED_PROPERTY);
    if (property == null || property.isBlank()) {
      return spec.seed();
    }
    try {
      return Long.parseLong(property.strip());
    } catch (NumberFormatException e) {
      throw new ExtensionConfigurationException(SimulatedCluster.SEED_PROPERTY + " must be a whole number: "
          + property, e);
    }
  }

  private static SimCluster.Builder builder(SimulatedCluster spec, Class<?> owner, @Nullable Object instance) {
    if (spec.factory().isEmpty()) {
      return defaultCluster(spec.nodes());
    }
    if (spec.nodes() != 1) {
      throw new ExtensionConfigurationException("@SimulatedCluster takes nodes or a factory, not both: nodes="
          + spec.nodes() + ", factory=" + spec.factory());
    }
    Method m = ReflectionSupport.findMethod(owner, spec.factory()).orElseThrow(() ->
        new ExtensionConfigurationException("@SimulatedCluster names a factory that " + owner.getName()
            + " does not have: " + spec.factory() + "()"));
    if (!SimCluster.Builder.class.isAssignableFrom(m.getReturnType())) {
      throw new ExtensionConfigurationException("a @SimulatedCluster factory must return SimCluster.Builder: " + m);
    }
    @Nullable Object target = null;
    if (ModifierSupport.isNotStatic(m)) {
      if (instance == null || !m.getDeclaringClass().isInstance(instance)) {
        throw new ExtensionConfigurationException("a cluster per class needs a static factory: " + m);
      }
      target = instance;
    }
    Object built = ReflectionSupport.invokeMethod(m, target);
    if (built == null) {
      throw new ExtensionConfigurationException("a @SimulatedCluster factory returned null: " + m);
    }
    return (SimCluster.Builder) built;
  }

  /** Nodes {@code node-1} to {@code node-<count>}, and pod {@code default/web} on node-1 with busybox {@code app}. */
  private static SimCluster.Builder defaultCluster(int count) {
    if (count < 1) {
      throw new ExtensionConfigurationException("@SimulatedCluster needs at least 1 node: " + count);
    }
    SimCluster.Builder b = SimCluster.builder();
    for (int i = 1; i <= count; i++) {
      b.node("node-" + i);
    }
    return b.pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()));
  }

  private static Clusters clusters(ExtensionContext context) {
    // a store finds its parents' values too, so each context keeps its clusters under a key of its own
    return context.getStore(NAMESPACE).getOrComputeIfAbsent("clusters " + context.getUniqueId(),
        k -> new Clusters(), Clusters.class);
  }

  /** The clusters a context can see: its own, then those of the contexts around it, innermost first. */
  private static List<Opened> inScope(ExtensionContext context) {
    List<Opened> all = new ArrayList<>();
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Object held = c.get().getStore(NAMESPACE).get("clusters " + c.get().getUniqueId());
      if (held instanceof Clusters clusters) {
        all.addAll(clusters.list());
      }
    }
    return all;
  }

  private static void report(ExtensionContext context, Throwable failure, List<Opened> clusters) {
    if (clusters.isEmpty()) {
      return;
    }
    Class<?> testClass = context.getRequiredTestClass();
    String className = testClass.getName().substring(testClass.getPackageName().isEmpty() ? 0
        : testClass.getPackageName().length() + 1);
    Optional<String> method = context.getTestMethod().map(Method::getName);
    String test = className + method.map(m -> "#" + m).orElse("");
    Path file = reportDir().resolve(testClass.getName()).resolve(fileName(context, method) + ".txt");
    StringBuilder text = new StringBuilder();
    for (Opened o : clusters) {
      String selector = o.perClass() ? className : test;
      // a nested class's name holds a '$', which a shell would expand
      String replay = "rerun with -D" + SimulatedCluster.SEED_PROPERTY + "=" + o.seed() + " -Dtest="
          + (selector.contains("$") ? "'" + selector + "'" : selector);
      FailureReport r = FailureReport.of(test, failure, o.name(), o.seed(), o.cluster(), replay);
      context.publishReportEntry(r.entry());
      log.warn("{} failed with the cluster of {}, seed {}; {}; report in {}\n{}", test, o.name(), o.seed(), replay,
          file, r.text());
      text.append(r.text()).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      log.warn("{}: writing the failure report {} failed", test, file, e);
    }
  }

  /** The method's name, numbered for an invocation of a repeated or parameterized test; {@code class} for none. */
  private static String fileName(ExtensionContext context, Optional<String> method) {
    if (method.isEmpty()) {
      return "class";
    }
    Matcher m = INVOCATION.matcher(context.getUniqueId());
    return m.find() ? method.get() + "-" + m.group(1) : method.get();
  }

  private static Path reportDir() {
    String basedir = System.getProperty("basedir");
    Path base = basedir == null || basedir.isBlank() ? Path.of("") : Path.of(basedir);
    return base.resolve("target").resolve("execsim");
  }
}
