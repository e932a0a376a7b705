package io.execsim.core.cri;

/**
 * The CRI {@code ExecResponse}.
 *
 * @param url the streaming server's one-time URL for this exec
 */
public record ExecResponse(String url) {
}
