/** Byte streams between hops and processes: pipes with Linux semantics and copying. */
@NullMarked
package io.execsim.core.io;

import org.jspecify.annotations.NullMarked;
