/**
 * The programs of a busybox container, written against {@link io.execsim.core.process.ProcessContext}: {@code sh}
 * with a small part of ash's grammar, and the applets people run through it ({@code cat}, {@code echo},
 * {@code sleep}, ...), with busybox 1.35's behaviour and error texts. Everything here runs on the simulation's one
 * thread and chains stages; nothing blocks.
 */
@NullMarked
package io.execsim.runc.programs;

import org.jspecify.annotations.NullMarked;
