/**
 * The outcome of one exec: what the client observed beside what really happened in the container, and the
 * classification of the pair, the ambiguous cases ("the command ran but the caller was told it failed") included.
 */
@NullMarked
package io.execsim.core.outcome;

import org.jspecify.annotations.NullMarked;
