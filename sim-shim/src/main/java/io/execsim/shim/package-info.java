/**
 * containerd-shim-runc-v2: the task service of a container, its exec processes and their states, the IO copying
 * between FIFOs and the process's pipes or terminal, the console socket a terminal's master arrives on, and the
 * go-runc calls, which hand runc the process spec through a {@code runc-process} temp file.
 */
@NullMarked
package io.execsim.shim;

import org.jspecify.annotations.NullMarked;
