package org.minewatch.identity;

import org.minewatch.model.Coin;

/**
 * A cryptocurrency address whose checksum was verified.
 *
 * @param kind e.g. "p2pkh", "p2sh", "segwit-v0", "transparent", "standard", "integrated",
 *     "subaddress", "account"
 * @param network "mainnet", "testnet" or "stagenet"
 * @param check how it was verified, e.g. "base58check", "bech32", "keccak-256", "eip-55"
 */
public record WalletAddress(String address, Coin coin, String kind, String network, String check) {}
