package org.minewatch.probe;

import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;

/**
 * What made an endpoint a pool: the dialect it answered in, over which wire, and what it said.
 *
 * @param answer the pool's reply in a few words, e.g. "subscription granted, extranonce1 08000002,
 *     ..."
 * @param certificateSha256 the SHA-256 of the server's TLS certificate (hex), or null in clear
 * @param coin the coin its work for the probe was for, or null where it did not say
 * @param algorithm the algorithm of that work, or null where it did not say
 * @param clue the sentence that says how coin and algorithm were read ({@link PoolJobClue}), or
 *     null where neither was
 */
public record Confirmation(
    Protocol protocol,
    Wire wire,
    String answer,
    String certificateSha256,
    Coin coin,
    Algorithm algorithm,
    String clue) {}
