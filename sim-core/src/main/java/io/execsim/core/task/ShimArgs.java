package io.execsim.core.task;

import java.util.Optional;

/**
 * What containerd tells the shim binary about the container it is for, on its command line and in its options.
 *
 * @param namespace the containerd namespace of the container
 * @param id the container id
 * @param bundle the node path of the container's bundle, the shim's working directory
 * @param containerdAddress containerd's socket, from which the shim's own socket address is derived
 * @param runtimeBinary the OCI runtime binary the shim runs ({@code BinaryName}); runc when empty
 */
public record ShimArgs(String namespace, String id, String bundle, String containerdAddress,
    Optional<String> runtimeBinary) {
}
