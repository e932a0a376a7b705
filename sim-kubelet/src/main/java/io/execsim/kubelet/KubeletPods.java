package io.execsim.kubelet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pods the kubelet knows, by namespace and name: its pod manager and its runtime's view of their containers in
 * one. Whoever assembles a node fills it; it changes while the kubelet serves (a container stops, a pod goes away).
 * Accessed from the simulation's thread or before the simulation runs.
 */
public final class KubeletPods {
  private final Map<String, KubeletPod> pods = new LinkedHashMap<>();

  /** Adds {@code pod}, or replaces the pod of the same namespace and name. */
  public synchronized void put(KubeletPod pod) {
    pods.put(key(pod.namespace(), pod.name()), pod);
  }

  /** Forgets the pod {@code namespace/name}; nothing happens when it is unknown. */
  public synchronized void remove(String namespace, String name) {
    pods.remove(key(namespace, name));
  }

  /** The pod {@code namespace/name}, if known. */
  public synchronized Optional<KubeletPod> get(String namespace, String name) {
    return Optional.ofNullable(pods.get(key(namespace, name)));
  }

  /** All pods, in the order they were first added. */
  public synchronized List<KubeletPod> all() {
    return List.copyOf(pods.values());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
