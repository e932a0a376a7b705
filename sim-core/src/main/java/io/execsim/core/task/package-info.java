/** The contract between containerd and the shim: the ttrpc task service calls of an exec. */
@NullMarked
package io.execsim.core.task;

import org.jspecify.annotations.NullMarked;
