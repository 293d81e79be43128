package io.undermoon.coordinator.testing;

import io.undermoon.resp.client.RespReply;
import io.undermoon.testkit.ScriptedProxy;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a server proxy that reports whatever migrations a test says are finished: it
 * answers PING, accepts SETREPL and SETCLUSTER with {@code +OK}, answers REPLSTATUS with nothing
 * and INFOMGR with {@link #finishedTasks}; every command goes to the log the fakes of a test share.
 * A script for testkit's {@link ScriptedProxy}.
 */
public final class FakeProxy implements AutoCloseable {
    public final List<String> finishedTasks = new CopyOnWriteArrayList<>();
    private final ScriptedProxy proxy;

    public FakeProxy(List<ScriptedProxy.Logged> sharedLog) throws IOException {
        this.proxy = new ScriptedProxy(this::reply, sharedLog);
    }

    public String address() {
        return proxy.address();
    }

    private RespReply reply(List<String> cmd) {
        if (cmd.get(0).equalsIgnoreCase("PING")) {
            return new RespReply.Simple("PONG");
        }
        if (ScriptedProxy.is(cmd, "UMCTL", "SETREPL") || ScriptedProxy.is(cmd, "UMCTL", "SETCLUSTER")) {
            return new RespReply.Simple("OK");
        }
        if (ScriptedProxy.is(cmd, "UMCTL", "REPLSTATUS")) {
            return new RespReply.Array(List.of());
        }
        if (ScriptedProxy.is(cmd, "UMCTL", "INFOMGR")) {
            return new RespReply.Array(finishedTasks.stream().<RespReply>map(RespReply::bulk).toList());
        }
        return new RespReply.Error("ERR unknown command");
    }

    @Override
    public void close() throws IOException {
        proxy.close();
    }
}
