/** The simulated side: the same scenarios on a {@code SimNode}, in virtual time. */
@NullMarked
package io.execsim.conformance.sim;

import org.jspecify.annotations.NullMarked;
