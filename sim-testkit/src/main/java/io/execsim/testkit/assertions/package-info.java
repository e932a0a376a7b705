/**
 * AssertJ assertions on what an exec produced, read in the words of the chain: kubectl's result, an exec's outcome
 * beside the ground truth, a trace, and a cluster's leftovers. {@link io.execsim.testkit.assertions.ExecSimAssertions}
 * is the entry point.
 */
@NullMarked
package io.execsim.testkit.assertions;

import org.jspecify.annotations.NullMarked;
