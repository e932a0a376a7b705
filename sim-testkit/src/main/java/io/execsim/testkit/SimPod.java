package io.execsim.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A pod of a simulated cluster: where it runs, its phase, and its containers with their images, in order.
 *
 * @param namespace its namespace
 * @param name its name
 * @param node the node it is scheduled to, if any
 * @param phase its {@code status.phase}: {@code Running}, {@code Pending}, {@code Succeeded}, ...
 * @param containers its containers by name, in the pod's order
 * @param annotations its annotations
 */
public record SimPod(String namespace, String name, Optional<String> node, String phase,
    Map<String, ContainerImage> containers, Map<String, String> annotations) {

  /** Copies the maps, keeping their order. */
  public SimPod {
    containers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(containers));
    annotations = Map.copyOf(annotations);
  }

  /** A running pod in {@code namespace} on {@code node} with one container {@code container} of {@code image}. */
  public static SimPod running(String namespace, String name, String node, String container, ContainerImage image) {
    return new SimPod(namespace, name, Optional.of(node), "Running", Map.of(container, image), Map.of());
  }

  /** This pod with one more container. */
  public SimPod withContainer(String container, ContainerImage image) {
    Map<String, ContainerImage> c = new LinkedHashMap<>(containers);
    c.put(container, image);
    return new SimPod(namespace, name, node, phase, c, annotations);
  }

  /** This pod in another phase. */
  public SimPod withPhase(String value) {
    return new SimPod(namespace, name, node, value, containers, annotations);
  }

  /** This pod with an annotation. */
  public SimPod withAnnotation(String key, String value) {
    Map<String, String> a = new LinkedHashMap<>(annotations);
    a.put(key, value);
    return new SimPod(namespace, name, node, phase, containers, a);
  }

  /** This pod not scheduled to any node. */
  public SimPod unscheduled() {
    return new SimPod(namespace, name, Optional.empty(), phase, containers, annotations);
  }
}
