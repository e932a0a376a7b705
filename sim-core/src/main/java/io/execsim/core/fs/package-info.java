/** The node's file system: directories, files and FIFOs on mounts with byte and inode capacities. */
@NullMarked
package io.execsim.core.fs;

import org.jspecify.annotations.NullMarked;
