/**
 * Errors as the Go components of the chain produce and wrap them: Go error chains, errno and path errors, gRPC and
 * ttrpc statuses, and containerd's errdefs classes; and values as Go prints and reads them in those texts (quoted
 * strings, durations).
 */
@NullMarked
package io.execsim.core.error;

import org.jspecify.annotations.NullMarked;
