package org.minewatch.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An XMRig login on loopback, to a pool that answers with a RandomX job: for live captures. */
public final class LoopbackXmrig {
  private LoopbackXmrig() {}

  /** The miner logs in with {@code wallet} and {@code agent}; returns once both sides are done. */
  public static void mineOnce(ServerSocket pool, String wallet, String agent) throws Exception {
    CompletableFuture<Void> server =
        CompletableFuture.runAsync(
            () -> {
              try (Socket s = pool.accept()) {
                new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
                s.getOutputStream()
                    .write(
                        ("{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\"a1\",\"job\":"
                                + "{\"blob\":\"0707"
                                + "00".repeat(72)
                                + "\",\"job_id\":\"j1\",\"target\":\"b88d0600\",\"algo\":\"rx/0\"},"
                                + "\"status\":\"OK\"}}\n")
                            .getBytes(StandardCharsets.UTF_8));
                Thread.sleep(300);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try (Socket miner = new Socket(InetAddress.getLoopbackAddress(), pool.getLocalPort())) {
      OutputStream o = miner.getOutputStream();
      o.write(
          ("{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\""
                  + wallet
                  + "\",\"pass\":\"x\",\"agent\":\""
                  + agent
                  + "\",\"algo\":[\"rx/0\"]}}\n")
              .getBytes(StandardCharsets.UTF_8));
      miner.getInputStream().read(new byte[4096]);
    }
    server.get(10, TimeUnit.SECONDS);
  }
}
