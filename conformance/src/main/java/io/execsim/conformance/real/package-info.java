/** The real side: containerd, its shim, runc and ctr from the machine's packages, run by hand as root. */
@NullMarked
package io.execsim.conformance.real;

import org.jspecify.annotations.NullMarked;
