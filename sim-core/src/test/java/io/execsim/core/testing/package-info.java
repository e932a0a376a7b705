/** Test helpers the modules' tests share, published in sim-core's test jar. */
@NullMarked
package io.execsim.core.testing;

import org.jspecify.annotations.NullMarked;
