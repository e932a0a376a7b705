/** JSON decoding with the semantics and error texts of Go's encoding/json. */
@NullMarked
package io.execsim.core.json;

import org.jspecify.annotations.NullMarked;
