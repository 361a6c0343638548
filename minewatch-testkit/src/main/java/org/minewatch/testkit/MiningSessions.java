package org.minewatch.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * Conversations in each mining dialect and node protocol, written as the published protocols and
 * common miner and pool software shape them, plus non-mining look-alikes. Deterministic for a given
 * seed.
 */
public final class MiningSessions {
  private static final HexFormat HEX = HexFormat.of();

  private MiningSessions() {}

  public static String hex(Random r, int bytes) {
    byte[] b = new byte[bytes];
    r.nextBytes(b);
    return HEX.formatHex(b);
  }

  /** Bitcoin-style Stratum v1: subscribe, authorize, difficulty, jobs and shares. */
  public static TrafficBuilder.Tcp stratumV1(
      TrafficBuilder t,
      String miner,
      int minerPort,
      String pool,
      int port,
      String agent,
      String user,
      int shares,
      Random r) {
    TrafficBuilder.Tcp c = t.tcp(miner, minerPort, pool, port).handshake();
    c.client("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"" + agent + "\"]}\n");
    c.server(
        "{\"id\":1,\"result\":[[[\"mining.set_difficulty\",\""
            + hex(r, 4)
            + "\"],[\"mining.notify\",\""
            + hex(r, 4)
            + "\"]],\""
            + hex(r, 4)
            + "\",4],\"error\":null}\n");
    c.client("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"" + user + "\",\"x\"]}\n");
    c.server(
        "{\"id\":2,\"result\":true,\"error\":null}\n"
            + "{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[65536]}\n"
            + bitcoinNotify(r, "1a"));
    for (int i = 0; i < shares; i++) {
      t.advanceMillis(5000);
      c.client(
          "{\"id\":"
              + (4 + i)
              + ",\"method\":\"mining.submit\",\"params\":[\""
              + user
              + "\",\"1a\",\""
              + hex(r, 4)
              + "\",\""
              + hex(r, 4)
              + "\",\""
              + hex(r, 4)
              + "\"]}\n");
      c.server("{\"id\":" + (4 + i) + ",\"result\":true,\"error\":null}\n");
    }
    return c;
  }

  public static String bitcoinNotify(Random r, String job) {
    return "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\""
        + job
        + "\",\""
        + hex(r, 32)
        + "\",\""
        + hex(r, 40)
        + "\",\""
        + hex(r, 30)
        + "\",[\""
        + hex(r, 32)
        + "\",\""
        + hex(r, 32)
        + "\"],\"20000000\",\"1703a30c\",\""
        + hex(r, 4)
        + "\",true]}\n";
  }

  /** Equihash (Zcash) Stratum: set_target, 8-parameter notify, 1347-byte solutions. */
  public static TrafficBuilder.Tcp zcashStratum(
      TrafficBuilder t,
      String miner,
      int minerPort,
      String pool,
      int port,
      String user,
      int shares,
      Random r) {
    TrafficBuilder.Tcp c = t.tcp(miner, minerPort, pool, port).handshake();
    c.client(
        "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"nheqminer/0.5c\",null,\""
            + pool
            + "\",\""
            + port
            + "\"]}\n");
    c.server("{\"id\":1,\"result\":[null,\"" + hex(r, 4) + "\"],\"error\":null}\n");
    c.client("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"" + user + "\",\"x\"]}\n");
    c.server(
        "{\"id\":2,\"result\":true,\"error\":null}\n{\"id\":null,\"method\":\"mining.set_target\",\"params\":[\"0004"
            + hex(r, 30)
            + "\"]}\n{\"id\":null,\"method\":\"mining.notify\",\"params\":[\""
            + hex(r, 10)
            + "\",\"04000000\",\""
            + hex(r, 32)
            + "\",\""
            + hex(r, 32)
            + "\",\""
            + "00".repeat(32)
            + "\",\""
            + hex(r, 4)
            + "\",\""
            + hex(r, 4)
            + "\",true]}\n");
    for (int i = 0; i < shares; i++) {
      t.advanceMillis(20000);
      c.client(
          "{\"id\":"
              + (10 + i)
              + ",\"method\":\"mining.submit\",\"params\":[\""
              + user
              + "\",\""
              + hex(r, 10)
              + "\",\""
              + hex(r, 4)
              + "\",\""
              + hex(r, 28)
              + "\",\"fd4005"
              + hex(r, 1344)
              + "\"]}\n");
      c.server("{\"id\":" + (10 + i) + ",\"result\":true,\"error\":null}\n");
    }
    return c;
  }

  /** XMRig-style Monero pool protocol: login with algorithms, job, submits, keepalived. */
  public static TrafficBuilder.Tcp xmrig(
      TrafficBuilder t,
      String miner,
      int minerPort,
      String pool,
      int port,
      String wallet,
      String agent,
      int shares,
      Random r) {
    TrafficBuilder.Tcp c = t.tcp(miner, minerPort, pool, port).handshake();
    c.client(
        "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\""
            + wallet
            + "\",\"pass\":\"x\",\"agent\":\""
            + agent
            + "\",\"algo\":[\"rx/0\",\"cn/r\"]}}\n");
    String session = hex(r, 8);
    c.server(
        "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\""
            + session
            + "\",\"job\":"
            + xmrJob(r)
            + ",\"extensions\":[\"algo\",\"nicehash\",\"connect\",\"tls\",\"keepalive\"],\"status\":\"OK\"}}\n");
    for (int i = 0; i < shares; i++) {
      t.advanceMillis(15000);
      c.client(
          "{\"id\":"
              + (2 + i)
              + ",\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\""
              + session
              + "\",\"job_id\":\""
              + hex(r, 4)
              + "\",\"nonce\":\""
              + hex(r, 4)
              + "\",\"result\":\""
              + hex(r, 32)
              + "\",\"algo\":\"rx/0\"}}\n");
      c.server(
          "{\"id\":"
              + (2 + i)
              + ",\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"status\":\"OK\"}}\n");
    }
    c.client(
        "{\"id\":99,\"jsonrpc\":\"2.0\",\"method\":\"keepalived\",\"params\":{\"id\":\""
            + session
            + "\"}}\n");
    return c;
  }

  public static String xmrJob(Random r) {
    return "{\"blob\":\"1010"
        + hex(r, 74)
        + "\",\"job_id\":\""
        + hex(r, 4)
        + "\",\"target\":\"b88d0600\","
        + "\"algo\":\"rx/0\",\"height\":3000000,\"seed_hash\":\""
        + hex(r, 32)
        + "\"}";
  }

  /**
   * Ethereum eth-proxy: eth_submitLogin, eth_getWork, work pushes, eth_submitWork,
   * eth_submitHashrate; the work package carries {@code seedHash} (see {@link EthashSeeds}: the
   * chain's epoch at the builder's time).
   */
  public static TrafficBuilder.Tcp ethProxy(
      TrafficBuilder t,
      String miner,
      int minerPort,
      String pool,
      int port,
      String wallet,
      String worker,
      int shares,
      String seedHash,
      Random r) {
    TrafficBuilder.Tcp c = t.tcp(miner, minerPort, pool, port).handshake();
    c.client(
        "{\"worker\":\""
            + worker
            + "\",\"jsonrpc\":\"2.0\",\"params\":[\""
            + wallet
            + "\",\"x\"],\"id\":2,\"method\":\"eth_submitLogin\"}\n");
    c.server("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":true}\n");
    c.client(
        "{\"worker\":\"\",\"jsonrpc\":\"2.0\",\"params\":[],\"id\":3,\"method\":\"eth_getWork\"}\n");
    c.server(ethWork(r, seedHash));
    for (int i = 0; i < shares; i++) {
      t.advanceMillis(10000);
      c.client(
          "{\"id\":4,\"jsonrpc\":\"2.0\",\"method\":\"eth_submitWork\",\"params\":[\"0x"
              + hex(r, 8)
              + "\",\"0x"
              + hex(r, 32)
              + "\",\"0x"
              + hex(r, 32)
              + "\"]}\n");
      c.server("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":true}\n");
    }
    c.client(
        "{\"id\":6,\"jsonrpc\":\"2.0\",\"method\":\"eth_submitHashrate\",\"params\":[\"0x1d08a61\",\"0x"
            + hex(r, 32)
            + "\"]}\n");
    return c;
  }

  public static String ethWork(Random r, String seedHash) {
    return "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":[\"0x"
        + hex(r, 32)
        + "\",\"0x"
        + seedHash
        + "\",\"0x00000000dbe6fecebdedd5beb573440e5a884d1b2fbf06fcce912adcb8d8422e\"]}\n";
  }

  /**
   * EthereumStratum/1.0.0 (NiceHash): subscribe with the protocol name, set_difficulty, notify
   * ([job, seed hash, header hash, clean]), submit.
   */
  public static TrafficBuilder.Tcp ethereumStratum(
      TrafficBuilder t,
      String miner,
      int minerPort,
      String pool,
      int port,
      String user,
      int shares,
      String seedHash,
      Random r) {
    TrafficBuilder.Tcp c = t.tcp(miner, minerPort, pool, port).handshake();
    c.client(
        "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"ethminer/0.19.0\",\"EthereumStratum/1.0.0\"]}\n");
    c.server(
        "{\"id\":1,\"result\":[[\"mining.notify\",\""
            + hex(r, 8)
            + "\",\"EthereumStratum/1.0.0\"],\""
            + hex(r, 2)
            + "\"],\"error\":null}\n");
    c.client("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"" + user + "\",\"x\"]}\n");
    c.server(
        "{\"id\":2,\"result\":true,\"error\":null}\n{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[0.5]}\n"
            + "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\""
            + hex(r, 4)
            + "\",\""
            + seedHash
            + "\",\""
            + hex(r, 32)
            + "\",true]}\n");
    for (int i = 0; i < shares; i++) {
      t.advanceMillis(8000);
      c.client(
          "{\"id\":"
              + (4 + i)
              + ",\"method\":\"mining.submit\",\"params\":[\""
              + user
              + "\",\""
              + hex(r, 4)
              + "\",\""
              + hex(r, 6)
              + "\"]}\n");
      c.server("{\"id\":" + (4 + i) + ",\"result\":true,\"error\":null}\n");
    }
    return c;
  }

  /** Legacy getwork over HTTP with long polling, as cgminer and bfgminer spoke it. */
  public static TrafficBuilder.Tcp getworkHttp(
      TrafficBuilder t, String miner, int minerPort, String pool, int port, Random r) {
    TrafficBuilder.Tcp c = t.tcp(miner, minerPort, pool, port).handshake();
    String body = "{\"method\":\"getwork\",\"params\":[],\"id\":0}";
    c.client(
        "POST / HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\nHost: "
            + pool
            + ":"
            + port
            + "\r\nUser-Agent: cgminer 4.10.0\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length()
            + "\r\nX-Mining-Extensions: longpoll midstate rollntime submitold\r\n\r\n"
            + body);
    String reply =
        "{\"result\":{\"midstate\":\""
            + hex(r, 32)
            + "\",\"data\":\""
            + hex(r, 128)
            + "\",\"hash1\":\""
            + hex(r, 64)
            + "\",\"target\":\""
            + "ff".repeat(28)
            + "00000000\"},\"error\":null,\"id\":0}";
    c.server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Long-Polling: /LP\r\nX-Roll-NTime: expire=120\r\n"
            + "Content-Length: "
            + reply.length()
            + "\r\n\r\n"
            + reply);
    return c;
  }

  /** getblocktemplate over HTTP (BIP 22) as a solo miner or a pool's back end calls its node. */
  public static TrafficBuilder.Tcp getblocktemplateHttp(
      TrafficBuilder t, String caller, int callerPort, String node, int port) {
    TrafficBuilder.Tcp c = t.tcp(caller, callerPort, node, port).handshake();
    String body =
        "{\"jsonrpc\":\"1.0\",\"id\":\"gbt\",\"method\":\"getblocktemplate\",\"params\":[{\"rules\":[\"segwit\"]}]}";
    c.client(
        "POST / HTTP/1.1\r\nHost: "
            + node
            + ":"
            + port
            + "\r\nAuthorization: Basic dXNlcjpwYXNz\r\n"
            + "Content-Type: application/json\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body);
    String reply =
        "{\"result\":{\"version\":536870912,\"height\":800000},\"error\":null,\"id\":\"gbt\"}";
    c.server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + reply.length()
            + "\r\n\r\n"
            + reply);
    return c;
  }

  /** A Bitcoin P2P "version" message with a correct checksum, for the given network magic. */
  public static byte[] bitcoinVersion(int magic, Random r) {
    ByteBuffer p = ByteBuffer.allocate(102).order(ByteOrder.LITTLE_ENDIAN);
    p.putInt(70016).putLong(1033).putLong(1_700_000_000L);
    p.put(new byte[26]).put(new byte[26]).putLong(r.nextLong());
    p.put((byte) 16)
        .put("/Satoshi:26.0.0/".getBytes(StandardCharsets.US_ASCII))
        .putInt(800_000)
        .put((byte) 1);
    byte[] payload = java.util.Arrays.copyOf(p.array(), p.position());
    return bitcoinMessage(magic, "version", payload);
  }

  public static byte[] bitcoinMessage(int magic, String command, byte[] payload) {
    ByteBuffer m = ByteBuffer.allocate(24 + payload.length);
    m.putInt(magic);
    byte[] cmd = new byte[12];
    byte[] name = command.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, cmd, 0, name.length);
    m.put(cmd);
    m.order(ByteOrder.LITTLE_ENDIAN).putInt(payload.length).order(ByteOrder.BIG_ENDIAN);
    byte[] h = sha256(sha256(payload));
    m.put(h, 0, 4).put(payload);
    return m.array();
  }

  /** A Monero Levin handshake request carrying the mainnet network_id in portable storage. */
  public static byte[] levinHandshake(Random r) {
    ByteBuffer body = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    body.putInt(0x01011101)
        .putInt(0x01020101)
        .put((byte) 1); // portable-storage signature and version
    body.put((byte) 4); // one section entry, varint 1 << 2
    body.put((byte) 9)
        .put("node_data".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 0x0c)
        .put((byte) (2 << 2)); // a section of two entries
    body.put((byte) 10)
        .put("network_id".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 0x0a)
        .put((byte) 0x40);
    body.put(
        new byte[] {
          0x12,
          0x30,
          (byte) 0xF1,
          0x71,
          0x61,
          0x04,
          0x41,
          0x61,
          0x17,
          0x31,
          0x00,
          (byte) 0x82,
          0x16,
          (byte) 0xA1,
          (byte) 0xA1,
          0x10
        });
    body.put((byte) 7)
        .put("peer_id".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 5)
        .putLong(r.nextLong());
    byte[] payload = java.util.Arrays.copyOf(body.array(), body.position());
    ByteBuffer h = ByteBuffer.allocate(33 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    h.putLong(0x0101010101012101L)
        .putLong(payload.length)
        .put((byte) 1)
        .putInt(1001)
        .putInt(0)
        .putInt(1)
        .putInt(1);
    h.put(payload);
    return h.array();
  }

  /** Non-mining JSON-RPC lines: a node's web3 API and a language server, both over bare TCP. */
  public static TrafficBuilder.Tcp genericJsonRpc(
      TrafficBuilder t, String client, int clientPort, String server, int port) {
    TrafficBuilder.Tcp c = t.tcp(client, clientPort, server, port).handshake();
    c.client("{\"jsonrpc\":\"2.0\",\"method\":\"web3_clientVersion\",\"params\":[],\"id\":67}\n");
    c.server(
        "{\"jsonrpc\":\"2.0\",\"id\":67,\"result\":\"Geth/v1.13.5-stable/linux-amd64/go1.21.4\"}\n");
    c.client("{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":68}\n");
    c.server("{\"jsonrpc\":\"2.0\",\"id\":68,\"result\":\"0x12a05f2\"}\n");
    c.client(
        "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///a\"}}}\n");
    c.client(
        "{\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"alice\",\"pass\":\"secret\"},\"id\":1}\n");
    c.server("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"status\":\"OK\"}}\n");
    return c;
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A WebSocket frame (RFC 6455) holding {@code text}: masked with a random key when the client
   * sends it, as browsers must.
   */
  public static byte[] webSocketText(String text, boolean fromClient, Random r) {
    byte[] payload = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(0x81);
    int mask = fromClient ? 0x80 : 0;
    if (payload.length < 126) {
      out.write(mask | payload.length);
    } else {
      out.write(mask | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length);
    }
    if (fromClient) {
      byte[] key = new byte[4];
      r.nextBytes(key);
      out.writeBytes(key);
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= key[i & 3];
      }
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** A browser's WebSocket upgrade to {@code path}, and the proxy's 101 answer. */
  public static TrafficBuilder.Tcp webSocketUpgrade(
      TrafficBuilder t,
      String browser,
      int port,
      String proxy,
      int proxyPort,
      String host,
      String path) {
    TrafficBuilder.Tcp tcp = t.tcp(browser, port, proxy, proxyPort).handshake();
    tcp.client(
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nUser-Agent: Mozilla/5.0 "
            + "(Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0 Safari/537.36\r\n\r\n");
    tcp.server(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
    return tcp;
  }

  /**
   * A Coinhive-style in-browser miner: auth with a site key, a job, shares and their acceptance.
   */
  public static TrafficBuilder.Tcp coinhiveStyle(
      TrafficBuilder t,
      String browser,
      int port,
      String proxy,
      int proxyPort,
      String host,
      String siteKey,
      int shares,
      Random r) {
    TrafficBuilder.Tcp tcp = webSocketUpgrade(t, browser, port, proxy, proxyPort, host, "/proxy0");
    tcp.send(
        true,
        webSocketText(
            "{\"type\":\"auth\",\"params\":{\"site_key\":\""
                + siteKey
                + "\",\"type\":\"anonymous\",\"user\":null,\"goal\":0}}",
            true,
            r));
    tcp.send(
        false,
        webSocketText("{\"type\":\"authed\",\"params\":{\"token\":\"\",\"hashes\":0}}", false, r));
    String job = "j" + r.nextInt(1000);
    tcp.send(
        false,
        webSocketText(
            "{\"type\":\"job\",\"params\":{\"job_id\":\""
                + job
                + "\",\"blob\":\""
                + hex(r, 76)
                + "\",\"target\":\"ffffff00\"}}",
            false,
            r));
    for (int i = 0; i < shares; i++) {
      t.advanceMillis(20_000);
      tcp.send(
          true,
          webSocketText(
              "{\"type\":\"submit\",\"params\":{\"job_id\":\""
                  + job
                  + "\",\"nonce\":\""
                  + hex(r, 4)
                  + "\",\"result\":\""
                  + hex(r, 32)
                  + "\"}}",
              true,
              r));
      tcp.send(
          false,
          webSocketText(
              "{\"type\":\"hash_accepted\",\"params\":{\"hashes\":" + (256 * (i + 1)) + "}}",
              false,
              r));
    }
    return tcp;
  }
}
