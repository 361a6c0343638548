package org.minewatch.probe;

import org.minewatch.model.Protocol;

/**
 * What made an endpoint a pool: the dialect it answered in, over which wire, and what it said.
 *
 * @param answer the pool's reply in a few words, e.g. "subscription granted, extranonce1 08000002,
 *     ..."
 * @param certificateSha256 the SHA-256 of the server's TLS certificate (hex), or null in clear
 */
public record Confirmation(Protocol protocol, Wire wire, String answer, String certificateSha256) {}
