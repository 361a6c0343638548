package org.minewatch.evidence;

/** What a TLS ClientHello showed: the server name asked for and the client's fingerprints. */
public record TlsInfo(String sni, String alpn, String ja3, String ja4) {}
