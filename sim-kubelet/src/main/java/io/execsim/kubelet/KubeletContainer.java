package io.execsim.kubelet;

/**
 * A container of a pod as the kubelet's runtime cache knows it.
 *
 * @param name the container's name in the pod spec
 * @param id the runtime's container id, what the CRI calls take
 * @param running whether the runtime reports it running; exec finds only running containers
 */
public record KubeletContainer(String name, String id, boolean running) {
}
