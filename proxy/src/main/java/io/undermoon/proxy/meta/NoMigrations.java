package io.undermoon.proxy.meta;

import io.undermoon.model.umctl.SwitchArgs;
import io.undermoon.model.umctl.UmctlParseException;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.proxy.session.Replies;
import java.util.ArrayList;
import java.util.List;

/** Migration answers of a proxy that runs no migration task: nothing is pending or finished. */
public final class NoMigrations implements UmctlCommands.MigrationHooks {
    @Override
    public List<String> finishedTasks() {
        return List.of();
    }

    @Override
    public List<String> describeTasks() {
        return List.of();
    }

    @Override
    public void switchCommand(ClientSession s, Command c, String sub) {
        List<byte[]> tokens = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) {
            tokens.add(c.argBytes(i));
        }
        try {
            SwitchArgs.parse(tokens);
            c.complete(Replies.error(s.channel().alloc(), "TASK_NOT_FOUND"));
        } catch (UmctlParseException e) {
            c.complete(Replies.error(s.channel().alloc(), e.reason() == UmctlParseException.Reason.StableRange
                    ? "Invalid Arg" : "failed to parse migration switch arguments"));
        }
    }

    @Override
    public void umsync(ClientSession s, Command c) {
        c.complete(Replies.error(s.channel().alloc(), "MIGRATION_TASK_NOT_FOUND"));
    }

    @Override
    public List<String> stats() {
        return List.of();
    }
}
