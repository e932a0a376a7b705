/**
 * containerd-shim-runc-v2: the binary that starts one shim per container and cleans up after a dead one, and the
 * shim itself: the task service of a container on its ttrpc socket, its exec processes and their states, the IO
 * copying between FIFOs and the process's pipes or terminal, the console socket a terminal's master arrives on, and
 * the go-runc calls, which hand runc the process spec through a {@code runc-process} temp file.
 */
@NullMarked
package io.execsim.shim;

import org.jspecify.annotations.NullMarked;
