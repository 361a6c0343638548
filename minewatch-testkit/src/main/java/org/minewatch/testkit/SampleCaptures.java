package org.minewatch.testkit;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Builds the sample capture shipped in {@code samples/}: a campus network where a compromised
 * server mines Monero with XMRig, a workstation mines Bitcoin-style Stratum, a GPU rig speaks
 * eth-proxy, a host runs a Bitcoin node, and ordinary traffic (web, node RPC) goes by. Addresses
 * are from the documentation ranges (RFC 5737) and private ranges.
 *
 * <p>Run: {@code java -cp minewatch-testkit/target/classes org.minewatch.testkit.SampleCaptures
 * samples}
 */
public final class SampleCaptures {
  private SampleCaptures() {}

  public static List<TrafficBuilder.Frame> campus() {
    Random r = new Random(2021);
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-11-08T01:17:00Z"));
    MiningSessions.xmrig(
            t,
            "10.20.1.15",
            51522,
            "203.0.113.80",
            10128,
            "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",
            "XMRig/6.16.4 (Linux x86_64) libuv/1.41.0 gcc/9.3.0",
            6,
            r)
        .fin();
    t.advanceMillis(700);
    MiningSessions.stratumV1(
        t, "10.20.7.33", 40211, "198.51.100.23", 3333, "cgminer/4.12.1", "campus_miner.ws07", 4, r);
    t.advanceMillis(900);
    MiningSessions.ethProxy(
            t,
            "192.168.40.9",
            49307,
            "198.51.100.41",
            8008,
            "0x52908400098527886e0f7030069857d2e4169ee7",
            "rig01",
            3,
            EthashSeeds.EPOCH_452,
            r)
        .fin();
    TrafficBuilder.Tcp node = t.tcp("10.20.3.4", 50990, "192.0.2.200", 8333).handshake();
    node.send(true, MiningSessions.bitcoinVersion(0xf9beb4d9, r));
    node.send(false, MiningSessions.bitcoinVersion(0xf9beb4d9, r)).fin();
    TrafficBuilder.Tcp web = t.tcp("10.20.1.77", 53000, "192.0.2.10", 80).handshake();
    web.client(
        "GET /index.html HTTP/1.1\r\nHost: www.example.edu\r\nUser-Agent: Mozilla/5.0\r\n\r\n");
    web.server(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>")
        .fin();
    MiningSessions.genericJsonRpc(t, "10.20.5.5", 41000, "10.20.5.6", 8545).fin();
    return t.frames();
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "samples");
    Files.createDirectories(dir);
    PcapWriter.write(
        dir.resolve("campus-mining.pcapng"),
        PcapWriter.pcapng(campus(), ByteOrder.LITTLE_ENDIAN, false, PcapWriter.Link.ETHERNET));
  }
}
