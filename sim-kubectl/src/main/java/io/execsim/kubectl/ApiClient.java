package io.execsim.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.execsim.core.error.GoError;
import io.execsim.core.net.Network;
import io.execsim.core.net.SimChannel;
import io.execsim.core.remotecommand.StatusError;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The REST calls kubectl makes before an exec, over the simulated network, one connection per call. */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Network network;
  private final String address;
  private final String userAgent;

  ApiClient(Network network, String address, String version) {
    this.network = network;
    this.address = address;
    this.userAgent = "kubectl/" + version + " (linux/amd64) kubernetes/execsim";
  }

  /**
   * GETs {@code path}; answers the JSON body of a 2xx response, fails with the Status error of another, and with a
   * {@link UrlError} when the apiserver cannot be reached.
   */
  CompletionStage<JsonNode> get(String path) {
    CompletableFuture<FullHttpResponse> response = new CompletableFuture<>();
    CompletableFuture<SimChannel> dialed = new CompletableFuture<>();
    network.dial("kubectl", address, ch -> ch.pipeline().addLast(new HttpClientCodec(),
        new HttpObjectAggregator(16 << 20), new SimpleChannelInboundHandler<FullHttpResponse>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            response.complete(res.retainedDuplicate());
            ctx.close();
          }

          @Override
          public void channelInactive(ChannelHandlerContext ctx) {
            // TODO: Go's http.Client reports a connection closed before the response as a url.Error, which kubectl
            // prints as "Unable to connect to the server: <err>"; here it stays a bare error
            response.completeExceptionally(GoError.of("unexpected EOF"));
          }
        })).whenComplete((ch, e) -> {
          if (e != null) {
            // http.Client.Do wraps the transport's error in a url.Error naming the method and the URL
            dialed.completeExceptionally(UrlError.of("Get", "https://" + address + path, GoError.from(e)));
          } else {
            dialed.complete(ch);
          }
        });
    return dialed.thenCompose(ch -> {
      FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
      req.headers().set(HttpHeaderNames.HOST, address)
          .set(HttpHeaderNames.ACCEPT, "application/json, */*")
          .set(HttpHeaderNames.USER_AGENT, userAgent);
      ch.writeAndFlush(req);
      return response;
    }).thenApply(ApiClient::parse);
  }

  private static JsonNode parse(FullHttpResponse res) {
    try {
      String body = res.content().toString(StandardCharsets.UTF_8);
      int code = res.status().code();
      JsonNode json = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
      if (code / 100 == 2) {
        return json;
      }
      if ("Status".equals(json.path("kind").asText())) {
        throw StatusError.of(json.path("message").asText(), json.path("reason").asText(), code);
      }
      throw GoError.of("the server responded with the status code " + code + " but did not return more information");
    } catch (IOException e) {
      throw GoError.of("invalid character in response: " + e.getMessage());
    } finally {
      res.release();
    }
  }
}
