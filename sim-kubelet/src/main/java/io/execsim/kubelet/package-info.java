/** The kubelet: its server, authn and authz filter, the exec handler and the proxy to the streaming server. */
@NullMarked
package io.execsim.kubelet;

import org.jspecify.annotations.NullMarked;
