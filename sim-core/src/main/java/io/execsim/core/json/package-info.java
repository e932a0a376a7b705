/**
 * JSON decoding with the semantics and the error texts of Go's {@code encoding/json}, for the simulated runc and
 * containerd shim: a stream decoder like {@code json.Decoder}, and decoding into the Go structs they read, the
 * {@code --process} spec and the lines of runc's {@code log.json}.
 */
@NullMarked
package io.execsim.core.json;

import org.jspecify.annotations.NullMarked;
