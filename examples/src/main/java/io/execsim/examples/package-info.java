/** Runnable examples of execsim, and the demo. */
@NullMarked
package io.execsim.examples;

import org.jspecify.annotations.NullMarked;
