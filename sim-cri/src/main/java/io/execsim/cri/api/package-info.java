/**
 * containerd's gRPC API as a client such as {@code ctr} sees it: the containers and tasks services, their requests
 * and answers, and the statuses they fail with.
 */
@NullMarked
package io.execsim.cri.api;

import org.jspecify.annotations.NullMarked;
