package io.undermoon.coordinator.round;

import io.undermoon.model.umctl.MigrationTask;
import io.undermoon.model.umctl.UmctlParseException;
import io.undermoon.resp.client.RespReply;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the reply to {@code UMCTL INFOMGR} (spec §6.6): an array of bulk strings, each a finished
 * migration task in text form, e.g. {@code mycluster MIGRATING 1 233-666 7799 127.0.0.1:6000
 * 127.0.0.1:7000 127.0.0.1:6001 127.0.0.1:7001}. A line whose range is stable (tag None) is skipped;
 * any other element that does not parse, or a reply that is not an array, fails the whole reply.
 */
public final class InfoMgrReply {
    private InfoMgrReply() {}

    /** Thrown for a reply that cannot be read; the message says why. */
    public static final class InvalidReplyException extends Exception {
        InvalidReplyException(String message) {
            super(message);
        }
    }

    public static List<MigrationTask> parse(RespReply reply) throws InvalidReplyException {
        if (!(reply instanceof RespReply.Array array)) {
            throw new InvalidReplyException("expected an array reply to UMCTL INFOMGR, got " + describe(reply));
        }
        List<MigrationTask> tasks = new ArrayList<>();
        for (RespReply item : array.items()) {
            if (!(item instanceof RespReply.Bulk bulk)) {
                throw new InvalidReplyException("expected bulk strings in the UMCTL INFOMGR reply, got " + describe(item));
            }
            try {
                tasks.add(MigrationTask.parse(bulk.data()));
            } catch (UmctlParseException e) {
                if (e.reason() != UmctlParseException.Reason.StableRange) {
                    throw new InvalidReplyException("invalid migration task '" + abbreviate(bulk.text()) + "': "
                            + e.getMessage());
                }
            }
        }
        return tasks;
    }

    private static String describe(RespReply r) {
        return switch (r) {
            case RespReply.Error e -> "error '" + e.message() + "'";
            case RespReply.Simple s -> "simple string '" + abbreviate(s.text()) + "'";
            case RespReply.Int i -> "integer " + i.value();
            case RespReply.Bulk b -> "bulk string '" + abbreviate(b.text()) + "'";
            case RespReply.Array a -> "array of " + a.items().size();
            case RespReply.Nil n -> "nil";
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
