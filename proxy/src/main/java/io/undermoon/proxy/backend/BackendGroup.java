package io.undermoon.proxy.backend;

/**
 * The connections of one event loop to one backend address. A client session always uses the same
 * connection of the group, so its commands reach Redis in the order it sent them.
 */
public final class BackendGroup {
    private final String address;
    private final BackendConnection[] connections;

    BackendGroup(LoopResources loop, String address, int size, long timeoutNanos) {
        this.address = address;
        this.connections = new BackendConnection[size];
        for (int i = 0; i < size; i++) {
            connections[i] = new BackendConnection(loop, address, false, timeoutNanos);
        }
    }

    void setInitCommand(io.netty.buffer.ByteBuf initCommand) {
        for (BackendConnection c : connections) {
            c.setInitCommand(initCommand);
        }
    }

    public String address() {
        return address;
    }

    /** The connection for a session. */
    public BackendConnection connection(long sessionId) {
        return connections[(int) (sessionId % connections.length)];
    }

    void checkTimeouts(long now) {
        for (BackendConnection c : connections) {
            c.checkTimeout(now);
        }
    }

    void retire() {
        for (BackendConnection c : connections) {
            c.retire();
        }
    }

    int inFlight() {
        int n = 0;
        for (BackendConnection c : connections) {
            n += c.inFlightCount();
        }
        return n;
    }
}
