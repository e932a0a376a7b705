package io.execsim.cri.api;

import io.execsim.core.oci.ProcessSpec;
import java.util.Optional;

/**
 * A container as containerd's metadata store keeps it: its id, the parts of its OCI spec the simulation reads, and
 * its runtime's options.
 *
 * @param id the container id
 * @param process the spec's {@code process}: the init's command, environment and working directory, and the base
 *     of every exec's process
 * @param rootfs the spec's {@code root.path}: the root file system, absolute or relative to the bundle
 * @param runtimeBinary the OCI runtime binary the shim runs ({@code BinaryName}); runc when empty
 */
public record ContainerRecord(String id, ProcessSpec process, String rootfs, Optional<String> runtimeBinary) {
}
