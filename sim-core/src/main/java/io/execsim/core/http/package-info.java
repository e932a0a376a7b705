/**
 * HTTP/1.1 as the Go servers of the exec chain speak it, shared by the proxy hops (apiserver, kubelet): a server
 * that hands each request to a handler and lets it hijack the connection, responses written with Go's header order,
 * {@code metav1.Status} and Go-style JSON, query parsing and encoding as {@code net/url} does it, and the
 * upgrade-aware proxy of apimachinery that splices a client to a backend after {@code 101 Switching Protocols}.
 */
@NullMarked
package io.execsim.core.http;

import org.jspecify.annotations.NullMarked;
