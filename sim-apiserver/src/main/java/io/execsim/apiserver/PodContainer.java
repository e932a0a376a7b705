package io.execsim.apiserver;

/**
 * A container of a pod's spec.
 *
 * @param name the container's name
 * @param image the image it runs
 */
public record PodContainer(String name, String image) {
}
