package io.execsim.core.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real TCP port on loopback in front of a listener of the simulated network, so that real clients (kubectl,
 * fabric8) reach a simulated hop. Each accepted connection dials the simulated address; bytes are relayed both ways
 * unchanged, and either side closing closes the other. The simulated side runs on the network's scheduler, so this
 * is meant for a realtime scheduler. {@link #close()} stops accepting and closes every connection.
 */
public final class TcpFront implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpFront.class);

  private final EventLoopGroup group;
  private final Channel server;
  private final int port;

  private TcpFront(EventLoopGroup group, Channel server) {
    this.group = group;
    this.server = server;
    this.port = ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Listens on {@code 127.0.0.1:port} (0 for any free port) and relays each connection to {@code address}. */
  public static TcpFront open(Network network, String address, int port) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel server = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.AUTO_READ, false)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new Relay(network, address));
            }
          })
          .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
      log.info("serving {} on 127.0.0.1:{}", address, ((InetSocketAddress) server.localAddress()).getPort());
      return new TcpFront(group, server);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IllegalStateException("interrupted while binding", e);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The loopback port. */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Relays one TCP connection to one simulated connection. */
  private static final class Relay extends ChannelInboundHandlerAdapter {
    private final Network network;
    private final String address;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private @Nullable SimChannel sim;
    private boolean tcpClosed;

    Relay(Network network, String address) {
      this.network = network;
      this.address = address;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel tcp = ctx.channel();
      network.dial("tcp:" + tcp.remoteAddress(), address, end -> end.pipeline().addLast(
          new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext simCtx, Object msg) {
              tcp.writeAndFlush(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext simCtx) {
              tcp.close();
            }
          })).whenComplete((end, e) -> {
            if (e != null) {
              log.debug("{} refused: {}", address, e.getMessage());
              tcp.close();
              return;
            }
            ByteBuf[] pending;
            synchronized (this) {
              sim = end;
              pending = early.toArray(ByteBuf[]::new);
              early.clear();
            }
            for (ByteBuf b : pending) {
              end.writeAndFlush(b);
            }
            if (closedEarly()) {
              end.close();
            }
            tcp.config().setAutoRead(true);
          });
      ctx.read();
    }

    private synchronized boolean closedEarly() {
      return tcpClosed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      ByteBuf b = (ByteBuf) msg;
      SimChannel end;
      synchronized (this) {
        end = sim;
        if (end == null) {
          early.add(b);
          return;
        }
      }
      network.scheduler().execute(() -> end.writeAndFlush(b));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      SimChannel end;
      synchronized (this) {
        tcpClosed = true;
        end = sim;
        early.forEach(ByteBuf::release);
        early.clear();
      }
      if (end != null) {
        network.scheduler().execute(end::close);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("{}: {}", address, cause.toString());
      ctx.close();
    }
  }
}
