/**
 * runc: containers and their states, the {@code runc} command line as the shim invokes it ({@code create},
 * {@code start}, {@code exec}, {@code kill}, {@code pause}, {@code resume}, {@code delete}), and the processes it
 * starts inside containers.
 */
@NullMarked
package io.execsim.runc;

import org.jspecify.annotations.NullMarked;
