package io.execsim.core.http;

import io.execsim.core.error.GoError;
import io.execsim.core.net.Network;
import io.execsim.core.remotecommand.StatusError;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upgrade path of apimachinery's {@code proxy.UpgradeAwareHandler} ({@code tryUpgrade}), which the apiserver
 * uses toward the kubelet and the kubelet toward the CRI streaming server: it dials the backend, writes the client's
 * request to it with {@code X-Forwarded-For} added, reads the backend's response head from the raw bytes, and then
 * <ul>
 *   <li>on {@code 101}: writes every byte read so far to the client and copies bytes both ways until either side
 *       closes, then closes the other (no pings, no rate limit);</li>
 *   <li>on a status of 400 or more: writes the response again, as Go's {@code Response.Write} does, body included,
 *       within 10 s, and closes both;</li>
 *   <li>on another status: answers {@code invalid upgrade response: status code <n>} through the responder.</li>
 * </ul>
 * A failed dial is answered as {@code error dialing backend: <err>}, a request that cannot be written as
 * {@code error sending request: <err>}, an unreadable head with the reader's error, and a request that is not an
 * upgrade as the 400 {@code Upgrade request required}, all through the hop's {@link ErrorResponder}.
 *
 * <p>Runs on the simulation's thread. Unlike Go, bytes the client sends after the request and before the
 * {@code 101} are kept and forwarded (Go drops what its server had buffered when it hijacks; real clients wait for
 * the {@code 101} before they send). Proxying requests that are not upgrades is not modelled: both hops require an
 * upgrade.
 */
public final class UpgradeAwareProxy {
  private static final Logger log = LoggerFactory.getLogger(UpgradeAwareProxy.class);

  /** How long the proxy takes to copy a backend's error response to the client before it gives up. */
  public static final Duration ERROR_COPY_DEADLINE = Duration.ofSeconds(10);
  private static final Set<String> REQUEST_EXCLUDED =
      Set.of("Host", "User-Agent", "Content-Length", "Transfer-Encoding", "Trailer");

  private final Network network;
  private final Trace trace;
  private final Hop hop;
  private final String dialer;
  private final Phase dialPhase;
  private final Phase upgradePhase;
  private final ErrorResponder responder;
  private final Set<String> removedHeaders;

  private UpgradeAwareProxy(Builder b) {
    this.network = b.network;
    this.trace = b.trace;
    this.hop = b.hop;
    this.dialer = b.dialer == null ? b.hop.label() : b.dialer;
    this.dialPhase = b.dialPhase;
    this.upgradePhase = b.upgradePhase;
    this.responder = b.responder;
    this.removedHeaders = Set.copyOf(b.removedHeaders);
  }

  /** A builder of a proxy of {@code hop} that dials on {@code network} and records in {@code trace}. */
  public static Builder builder(Network network, Trace trace, Hop hop) {
    return new Builder(network, trace, hop);
  }

  /**
   * Proxies the request of {@code exchange} to {@code pathAndQuery} at {@code address} ({@code host:port} on the
   * network). The request's own target is not forwarded; its {@code Host} header is.
   */
  public void serve(HttpExchange exchange, String address, String pathAndQuery) {
    // upgradeaware.go: with UpgradeRequired, a request that is not an upgrade is refused with a BadRequest
    if (!exchange.isUpgradeRequest()) {
      fail(exchange, StatusError.of("Upgrade request required", "BadRequest", 400));
      return;
    }
    RawConnection client = exchange.hijack();
    if (!client.isOpen()) {
      trace.record(hop, Phase.STREAMS_CLOSED, "client gone before the dial to " + address);
      return;
    }
    byte[] request = encodeRequest(exchange, address, pathAndQuery);
    trace.record(hop, dialPhase, "dial " + address + " for " + exchange.method() + " " + pathAndQuery);
    Scheduler scheduler = network.scheduler();
    network.dial(dialer, address, ch -> RawConnection.install(ch, scheduler)).whenComplete((ch, err) -> {
      if (err != null) {
        GoError cause;
        try {
          cause = GoError.from(err);
        } catch (RuntimeException bug) {
          log.warn("{}: the dial to {} failed with a programming error; closing the client", exchange, address, bug);
          client.close();
          return;
        }
        fail(exchange, GoError.wrap("error dialing backend", cause));
        return;
      }
      RawConnection backend = ch.pipeline().get(RawConnection.class);
      new Session(exchange, client, backend, address).start(request);
    });
  }

  private void fail(HttpExchange exchange, GoError err) {
    trace.record(hop, Phase.EXEC_FAILED, "proxy: " + err.text());
    log.debug("{}: proxy error: {}", exchange, err.text());
    if (!exchange.isResponded()) {
      exchange.respond(responder.respond(err));
    }
  }

  /**
   * The request as Go's {@code Request.Write} writes the clone: request line, {@code Host}, {@code User-Agent},
   * {@code Content-Length} when needed, then the other headers sorted.
   */
  private byte[] encodeRequest(HttpExchange ex, String address, String pathAndQuery) {
    Map<String, List<String>> h = ex.goHeaders();
    removedHeaders.forEach(h::remove);
    StringBuilder b = new StringBuilder(512);
    b.append(ex.method()).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
    b.append("Host: ").append(ex.host().isEmpty() ? address : ex.host()).append("\r\n");
    List<String> ua = h.get("User-Agent");
    String userAgent = ua == null || ua.isEmpty() ? "Go-http-client/1.1" : ua.get(0);
    if (!userAgent.isEmpty()) {
      b.append("User-Agent: ").append(userAgent).append("\r\n");
    }
    byte[] body = ex.body();
    if (body.length > 0 || Set.of("POST", "PUT", "PATCH").contains(ex.method())) {
      b.append("Content-Length: ").append(body.length).append("\r\n");
    }
    // utilnet.AppendForwardedForHeader: earlier values folded into one, then the client's address
    List<String> prior = h.get("X-Forwarded-For");
    String xff = prior == null ? ex.remoteHost() : String.join(", ", prior) + ", " + ex.remoteHost();
    h.put("X-Forwarded-For", List.of(xff));
    GoHttp.writeSorted(b, h, REQUEST_EXCLUDED);
    b.append("\r\n");
    byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  private enum State { HEAD, UPGRADED, COPYING_ERROR, DONE }

  /** One proxied request from the dial on; all of it runs on the simulation's thread. */
  private final class Session {
    private final HttpExchange exchange;
    private final RawConnection client;
    private final RawConnection backend;
    private final String address;
    private State state = State.HEAD;
    private @Nullable ByteBuf received;
    private @Nullable ResponseHead head;
    private Scheduler.@Nullable Cancellable deadline;

    Session(HttpExchange exchange, RawConnection client, RawConnection backend, String address) {
      this.exchange = exchange;
      this.client = client;
      this.backend = backend;
      this.address = address;
    }

    void start(byte[] request) {
      client.onClose(this::clientClosed);
      if (!client.isOpen()) {
        return;
      }
      if (!backend.isOpen()) {
        state = State.DONE;
        fail(exchange, GoError.of("error sending request: write tcp " + dialer + "->" + address
            + ": write: broken pipe"));
        return;
      }
      received = backend.channel().alloc().buffer();
      backend.write(backend.channel().alloc().buffer(request.length).writeBytes(request));
      backend.read(this::onBackendBytes);
      backend.onClose(this::backendClosed);
    }

    private void onBackendBytes(ByteBuf bytes) {
      ByteBuf r = received;
      if (r == null) {
        bytes.release();
        return;
      }
      r.writeBytes(bytes);
      bytes.release();
      if (state == State.HEAD) {
        readHead(false);
      } else if (state == State.COPYING_ERROR) {
        copyErrorIfComplete();
      }
    }

    private void readHead(boolean atEof) {
      ByteBuf r = received;
      if (r == null) {
        return;
      }
      Optional<ResponseHead> parsed;
      try {
        parsed = ResponseHead.parse(ByteBufUtil.getBytes(r), atEof);
      } catch (GoError e) {
        giveUp(e);
        return;
      }
      if (parsed.isEmpty()) {
        return;
      }
      ResponseHead h = parsed.get();
      head = h;
      if (h.code() == 101) {
        upgraded();
      } else if (h.code() >= 400) {
        copyError(h);
      } else {
        // the backend neither upgraded nor refused: the proxy's own error, not the backend's response
        giveUp(GoError.of("invalid upgrade response: status code " + h.code()));
      }
    }

    private void giveUp(GoError err) {
      state = State.DONE;
      releaseReceived();
      backend.close();
      fail(exchange, err);
    }

    private void upgraded() {
      state = State.UPGRADED;
      trace.record(hop, upgradePhase, "101 Switching Protocols from " + address + ", splicing");
      ByteBuf all = received;
      received = null;
      if (all != null) {
        // the head and whatever the backend sent right after it, in one piece, as Go forwards rawResponse
        client.write(all);
      }
      exchange.handOver();
      backend.read(client::write);
      client.read(backend::write);
      if (!backend.isOpen()) {
        closeBoth("backend");
      }
    }

    private void copyError(ResponseHead h) {
      state = State.COPYING_ERROR;
      trace.record(hop, upgradePhase, "backend answered " + h.code() + " " + h.status() + ", copying it back");
      deadline = network.scheduler().schedule(ERROR_COPY_DEADLINE, this::finishErrorCopy);
      copyErrorIfComplete();
      if (state == State.COPYING_ERROR && !backend.isOpen()) {
        finishErrorCopy();
      }
    }

    private void copyErrorIfComplete() {
      ResponseHead h = head;
      ByteBuf r = received;
      if (h == null || r == null) {
        return;
      }
      OptionalInt length = h.contentLength();
      if (length.isPresent() && r.readableBytes() - h.length() >= length.getAsInt()) {
        finishErrorCopy();
      }
    }

    /** Writes the error response with the body read so far; complete unless the backend failed to send it all. */
    private void finishErrorCopy() {
      ResponseHead h = head;
      ByteBuf r = received;
      if (state != State.COPYING_ERROR || h == null || r == null) {
        return;
      }
      state = State.DONE;
      Scheduler.Cancellable d = deadline;
      if (d != null) {
        d.cancel();
      }
      int available = r.readableBytes() - h.length();
      // TODO: a chunked error body is copied as it came, up to the close or the deadline, not decoded and re-chunked
      int take = h.contentLength().orElse(available);
      ByteBuf out = client.channel().alloc().buffer();
      out.writeCharSequence(h.rewrite(), StandardCharsets.ISO_8859_1);
      out.writeBytes(r, h.length(), Math.min(take, available));
      releaseReceived();
      exchange.handOver();
      client.write(out);
      client.close();
      backend.close();
    }

    private void backendClosed() {
      switch (state) {
        case HEAD -> {
          readHead(true);
          if (state == State.HEAD) {
            giveUp(GoError.of("unexpected EOF"));
          }
        }
        case COPYING_ERROR -> finishErrorCopy();
        case UPGRADED -> closeBoth("backend");
        case DONE -> releaseReceived();
        default -> throw new IllegalStateException("unknown state " + state);
      }
    }

    private void clientClosed() {
      switch (state) {
        case HEAD, COPYING_ERROR -> {
          state = State.DONE;
          releaseReceived();
          Scheduler.Cancellable d = deadline;
          if (d != null) {
            d.cancel();
          }
          backend.close();
        }
        case UPGRADED -> closeBoth("client");
        default -> releaseReceived();
      }
    }

    private void closeBoth(String who) {
      if (state == State.DONE) {
        return;
      }
      state = State.DONE;
      trace.record(hop, Phase.STREAMS_CLOSED, "proxy to " + address + " ended by the " + who + ": "
          + client.bytesRead() + " bytes up, " + backend.bytesRead() + " bytes down");
      client.close();
      backend.close();
    }

    private void releaseReceived() {
      ByteBuf r = received;
      received = null;
      if (r != null) {
        r.release();
      }
    }
  }

  /** Collects the settings of a proxy. */
  public static final class Builder {
    private final Network network;
    private final Trace trace;
    private final Hop hop;
    private @Nullable String dialer;
    private Phase dialPhase = Phase.KUBELET_DIAL;
    private Phase upgradePhase = Phase.KUBELET_UPGRADE;
    private ErrorResponder responder = ErrorResponder.plainText();
    private final List<String> removedHeaders = new ArrayList<>();

    private Builder(Network network, Trace trace, Hop hop) {
      this.network = network;
      this.trace = trace;
      this.hop = hop;
    }

    /** The name the proxy dials under, as links name their dialing end; the hop's label by default. */
    public Builder dialer(String name) {
      this.dialer = name;
      return this;
    }

    /** The phase the dial is recorded under; {@link Phase#KUBELET_DIAL} by default. */
    public Builder dialPhase(Phase phase) {
      this.dialPhase = phase;
      return this;
    }

    /** The phase the backend's answer is recorded under; {@link Phase#KUBELET_UPGRADE} by default. */
    public Builder upgradePhase(Phase phase) {
      this.upgradePhase = phase;
      return this;
    }

    /** How errors are answered; {@link ErrorResponder#plainText()} by default. */
    public Builder responder(ErrorResponder value) {
      this.responder = value;
      return this;
    }

    /** A request header the proxy does not forward, e.g. {@code Authorization}. */
    public Builder removeHeader(String name) {
      removedHeaders.add(GoHttp.canonicalKey(name));
      return this;
    }

    /** The proxy. */
    public UpgradeAwareProxy build() {
      return new UpgradeAwareProxy(this);
    }
  }
}
