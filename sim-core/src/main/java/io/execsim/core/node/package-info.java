/** A simulated node: its clock, random source, file system, unix sockets, process table and trace. */
@NullMarked
package io.execsim.core.node;

import org.jspecify.annotations.NullMarked;
