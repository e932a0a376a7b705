/** The scheduler and clock every hop runs on, deterministic or realtime, and the seeded random source. */
@NullMarked
package io.execsim.core.sched;

import org.jspecify.annotations.NullMarked;
