/**
 * The remote command protocol of Kubernetes exec, shared by its clients and servers: protocol versions, channels
 * and stream types, the options of a stream, the executor contract, and the errors a client reports.
 */
@NullMarked
package io.execsim.core.remotecommand;

import org.jspecify.annotations.NullMarked;
