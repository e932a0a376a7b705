/**
 * Command lines as urfave/cli v1.22 reads them for runc 1.1 and ctr 1.6: Go's {@code flag} package parsing (with
 * urfave's argument reordering, flag aliases and required flags), {@code strconv}'s number parsing with its error
 * texts, and the command help that urfave prints with a usage error.
 */
@NullMarked
package io.execsim.core.cli;

import org.jspecify.annotations.NullMarked;
