/** The contract between the shim and the OCI runtime: the command-line invocation and the process spec. */
@NullMarked
package io.execsim.core.oci;

import org.jspecify.annotations.NullMarked;
