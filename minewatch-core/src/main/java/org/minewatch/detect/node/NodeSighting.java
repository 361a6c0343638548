package org.minewatch.detect.node;

import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;

/** What a node-protocol detector read in a flow: the protocol, the network's coin, and why. */
record NodeSighting(Protocol protocol, Coin coin, String what) {}
