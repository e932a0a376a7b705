/** The assembly of all hops: simulated nodes with their runtime, and what tests need to drive and inspect them. */
@NullMarked
package io.execsim.testkit;

import org.jspecify.annotations.NullMarked;
