/**
 * The JUnit 5 extension that builds a simulated cluster for a test, injects it, closes it, and reports the seed,
 * the fault plans and the trace of a test that failed.
 */
@NullMarked
package io.execsim.testkit.junit;

import org.jspecify.annotations.NullMarked;
