package io.execsim.apiserver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A pod as the apiserver stores it, reduced to what exec and its clients read: its identity, the node it is bound
 * to, its phase, its containers and annotations (among them {@value #DEFAULT_CONTAINER_ANNOTATION}).
 *
 * @param namespace the namespace
 * @param name the name
 * @param uid the uid
 * @param nodeName the node the pod is bound to; empty while it is not scheduled
 * @param phase the phase
 * @param containers the containers of the spec, in order
 * @param annotations the annotations, in order
 */
public record Pod(String namespace, String name, String uid, Optional<String> nodeName, PodPhase phase,
    List<PodContainer> containers, Map<String, String> annotations) {

  /** The annotation kubectl reads to choose a container when none is named. */
  public static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

  /** Copies the lists and checks the names. */
  public Pod {
    if (namespace.isEmpty() || name.isEmpty()) {
      throw new IllegalArgumentException("a pod needs a namespace and a name: " + namespace + "/" + name);
    }
    containers = List.copyOf(containers);
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  /** A builder of a running pod {@code namespace/name} without containers, not bound to a node. */
  public static Builder builder(String namespace, String name) {
    return new Builder(namespace, name);
  }

  /** The container named {@code containerName}, if the spec has one. */
  public Optional<PodContainer> container(String containerName) {
    return containers.stream().filter(c -> c.name().equals(containerName)).findFirst();
  }

  /** Collects the parts of a pod. */
  public static final class Builder {
    private final String namespace;
    private final String name;
    private String uid;
    private Optional<String> nodeName = Optional.empty();
    private PodPhase phase = PodPhase.RUNNING;
    private final List<PodContainer> containers = new ArrayList<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();

    private Builder(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
      // a stable uid of UUID form, derived from the name so that runs repeat
      this.uid = UUID.nameUUIDFromBytes((namespace + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The uid; derived from the namespace and name unless set. */
    public Builder uid(String value) {
      this.uid = value;
      return this;
    }

    /** Binds the pod to node {@code value}. */
    public Builder nodeName(String value) {
      this.nodeName = Optional.of(value);
      return this;
    }

    /** The phase; {@link PodPhase#RUNNING} unless set. */
    public Builder phase(PodPhase value) {
      this.phase = value;
      return this;
    }

    /** Adds a container. */
    public Builder container(String containerName, String image) {
      containers.add(new PodContainer(containerName, image));
      return this;
    }

    /** Adds an annotation. */
    public Builder annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    /** The pod. */
    public Pod build() {
      return new Pod(namespace, name, uid, nodeName, phase, containers, annotations);
    }
  }
}
