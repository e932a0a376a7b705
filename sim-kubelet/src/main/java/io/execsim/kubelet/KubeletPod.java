package io.execsim.kubelet;

import java.util.List;
import java.util.Optional;

/**
 * A pod bound to the kubelet's node, with its containers.
 *
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param uid the pod's uid; an exec path that names another uid finds no container
 * @param containers the containers, in the order of the pod spec
 */
public record KubeletPod(String namespace, String name, String uid, List<KubeletContainer> containers) {

  /** Copies the containers. */
  public KubeletPod {
    containers = List.copyOf(containers);
  }

  /** The container named {@code name}, if the pod has one. */
  public Optional<KubeletContainer> container(String containerName) {
    return containers.stream().filter(c -> c.name().equals(containerName)).findFirst();
  }
}
