package org.minewatch.logs;

import java.util.List;
import org.minewatch.model.IpAddress;

/**
 * One connection-level record from a sensor's log (Zeek, Suricata EVE), in the fields MineWatch
 * uses; null where the log did not say.
 *
 * @param kind "conn", "dns", "ssl", "http" or "flow"
 * @param answers addresses a DNS answer gave
 */
public record LogRecord(
    String kind,
    long timestampNanos,
    IpAddress origHost,
    int origPort,
    IpAddress respHost,
    int respPort,
    String transport,
    String query,
    List<IpAddress> answers,
    String serverName,
    String ja3,
    String ja4,
    String host,
    String userAgent,
    long bytes,
    double durationSeconds) {}
