/** JMH benchmarks: what one simulated exec costs, at each level a user drives the chain. */
@NullMarked
package io.execsim.benchmarks;

import org.jspecify.annotations.NullMarked;
