package io.undermoon.proxy.route;

/** Where the commands of one slot go. */
public sealed interface Route {

    /** Served by a Redis beside this proxy. */
    record Local(LocalBackend backend) implements Route {}

    /** Owned by another proxy: the client gets MOVED. */
    record Peer(String proxyAddress) implements Route {}
}
