/** The trace every hop records its steps in. */
@NullMarked
package io.execsim.core.trace;

import org.jspecify.annotations.NullMarked;
