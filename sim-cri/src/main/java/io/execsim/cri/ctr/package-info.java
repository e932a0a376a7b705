/**
 * {@code ctr}, containerd's command-line client: its commands, flags, FIFO sets and output, calling containerd's
 * gRPC API over the node's unix socket.
 */
@NullMarked
package io.execsim.cri.ctr;

import org.jspecify.annotations.NullMarked;
