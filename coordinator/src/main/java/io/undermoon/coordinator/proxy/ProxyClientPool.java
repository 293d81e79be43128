package io.undermoon.coordinator.proxy;

import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ProxyClient} that keeps up to {@code capacity} idle connections per proxy address (the
 * reference's pool of 2). A command borrows an idle connection or opens one, and gives it back
 * afterwards unless it broke or the proxy answered {@code ERR_NOT_MY_META}: that answer means the
 * address leads to the wrong proxy (a stale DNS mapping, say), so the connection is closed and the
 * next command connects afresh.
 *
 * <p>With {@code retryStale}, a command that fails with an I/O error other than a timeout on a
 * <em>reused</em> connection is sent once more on a new one: a proxy that restarted since the
 * connection was pooled is then reached at once rather than a round later. A timeout is not
 * retried: a hung proxy would cost twice the timeout. Only idempotent commands (the metadata pushes, INFOMGR)
 * go through such a pool; the failure detector counts its own attempts and uses a pool without it.
 */
public final class ProxyClientPool implements ProxyClient {
    private final ProxyConnection.Connector connector;
    private final int capacity;
    private final boolean retryStale;
    private final Map<String, Deque<ProxyConnection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ProxyClientPool(ProxyConnection.Connector connector, int capacity, boolean retryStale) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.connector = connector;
        this.capacity = capacity;
        this.retryStale = retryStale;
    }

    @Override
    public RespReply send(String address, List<String> command) throws IOException {
        if (closed) {
            throw new IOException("proxy client is closed");
        }
        ProxyConnection c = borrow(address);
        boolean reused = c != null;
        if (c == null) {
            c = connector.connect(address);
        }
        try {
            return sendOn(address, c, command);
        } catch (IOException e) {
            // a timeout is no sign of a stale connection: the proxy is slow or hung, and a second
            // attempt would only double the wait
            if (reused && retryStale && !closed && !(e instanceof java.net.SocketTimeoutException)) {
                return sendOn(address, connector.connect(address), command);
            }
            throw e;
        }
    }

    private RespReply sendOn(String address, ProxyConnection c, List<String> command) throws IOException {
        RespReply reply;
        try {
            reply = c.command(command);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        if (MetaReply.closesConnection(reply)) {
            c.close();
        } else {
            giveBack(address, c);
        }
        return reply;
    }

    private ProxyConnection borrow(String address) {
        Deque<ProxyConnection> q = idle.get(address);
        if (q == null) {
            return null;
        }
        synchronized (q) {
            while (!q.isEmpty()) {
                ProxyConnection c = q.pollFirst();
                if (c.isOpen()) {
                    return c;
                }
                c.close();
            }
        }
        return null;
    }

    private void giveBack(String address, ProxyConnection c) {
        if (!c.isOpen() || closed) {
            c.close();
            return;
        }
        Deque<ProxyConnection> q = idle.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (q) {
            if (q.size() < capacity) {
                q.addFirst(c);
                c = null;
            }
        }
        if (c != null) {
            c.close();
        }
        if (closed) {
            closeAll(); // raced with close(): leave nothing open
        } else if (idle.get(address) != q) {
            drain(q); // raced with retainOnly(), which dropped this queue
        }
    }

    /** Idle connections to {@code address} (tests). */
    int idleCount(String address) {
        Deque<ProxyConnection> q = idle.get(address);
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            return q.size();
        }
    }

    @Override
    public void retainOnly(Collection<String> addresses) {
        Set<String> keep = new HashSet<>(addresses);
        for (String address : new ArrayList<>(idle.keySet())) {
            if (!keep.contains(address)) {
                Deque<ProxyConnection> q = idle.remove(address);
                if (q != null) {
                    drain(q);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeAll();
    }

    private void closeAll() {
        for (String address : new ArrayList<>(idle.keySet())) {
            Deque<ProxyConnection> q = idle.remove(address);
            if (q != null) {
                drain(q);
            }
        }
    }

    private static void drain(Deque<ProxyConnection> q) {
        List<ProxyConnection> toClose;
        synchronized (q) {
            toClose = new ArrayList<>(q);
            q.clear();
        }
        toClose.forEach(ProxyConnection::close);
    }
}
