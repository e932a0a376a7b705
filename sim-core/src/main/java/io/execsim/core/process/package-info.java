/** Processes on a node: programs, what they see, signals, exit statuses and the process table. */
@NullMarked
package io.execsim.core.process;

import org.jspecify.annotations.NullMarked;
