/**
 * Toxics: faults on one direction of a simulated link, or on a FIFO of an exec, after Toxiproxy's. Each is an
 * immutable value with its parameters in units (durations, byte counts) and says what the two peers observe once it
 * starts. They act in the simulation's virtual time and draw every random choice from its seeded source.
 */
@NullMarked
package io.execsim.core.net.toxic;

import org.jspecify.annotations.NullMarked;
