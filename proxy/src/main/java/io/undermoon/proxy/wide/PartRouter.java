package io.undermoon.proxy.wide;

import io.undermoon.proxy.route.RouteTable;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;

/** The router's own routing of one single-owner command (local Redis, peer, migration task). */
@FunctionalInterface
public interface PartRouter {
    void route(ClientSession s, Command part, RouteTable t, int slot);
}
