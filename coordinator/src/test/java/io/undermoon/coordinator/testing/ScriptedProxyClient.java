package io.undermoon.coordinator.testing;

import io.undermoon.coordinator.proxy.ProxyClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ProxyClient} for unit tests: records every command in order and answers with a script
 * (by default {@code +OK}); an address in {@link #down} fails with an I/O error.
 */
public final class ScriptedProxyClient implements ProxyClient {

    /** One command as sent. */
    public record Sent(String address, List<String> command) {
        public String name() {
            return command.size() >= 2 && command.get(0).equals("UMCTL") ? command.get(1) : command.get(0);
        }
    }

    /** Answers one command, or throws to simulate a broken connection. */
    @FunctionalInterface
    public interface Script {
        RespReply answer(String address, List<String> command) throws IOException;
    }

    private final List<Sent> sent = new ArrayList<>();
    public final Set<String> down = ConcurrentHashMap.newKeySet();
    private volatile Script script = (a, c) -> new RespReply.Simple("OK");
    private volatile List<String> retained = List.of();

    public ScriptedProxyClient answer(Script s) {
        this.script = s;
        return this;
    }

    @Override
    public RespReply send(String address, List<String> command) throws IOException {
        synchronized (sent) {
            sent.add(new Sent(address, List.copyOf(command)));
        }
        if (down.contains(address)) {
            throw new IOException("connection refused: " + address);
        }
        return script.answer(address, command);
    }

    public List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** The addresses of the commands named {@code name} (SETREPL, SETCLUSTER, INFOMGR, PING), in order. */
    public List<String> addressesOf(String name) {
        return sent().stream().filter(s -> s.name().equals(name)).map(Sent::address).toList();
    }

    @Override
    public void retainOnly(Collection<String> addresses) {
        retained = List.copyOf(addresses);
    }

    public List<String> retained() {
        return retained;
    }

    @Override
    public void close() {
    }
}
