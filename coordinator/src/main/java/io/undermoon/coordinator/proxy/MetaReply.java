package io.undermoon.coordinator.proxy;

import io.undermoon.resp.client.RespReply;

/**
 * How a proxy answered {@code UMCTL SETREPL} or {@code UMCTL SETCLUSTER} (spec §6.4): a simple
 * string ({@code OK}, or a warning such as {@code WARNING: ignored invalid config}) or any other
 * non-error reply is {@link #APPLIED}; {@code -OLD_EPOCH} means the proxy already has this or newer
 * metadata and is a success too; {@code -ERR_NOT_MY_META} means the metadata names Redis nodes on
 * another host (a wrong address mapping); any other error reply is {@link #ERROR}.
 */
public enum MetaReply {
    APPLIED,
    OLD_EPOCH,
    NOT_MY_META,
    ERROR;

    public static final String OLD_EPOCH_TEXT = "OLD_EPOCH";
    public static final String NOT_MY_META_TEXT = "ERR_NOT_MY_META";

    public static MetaReply of(RespReply reply) {
        if (reply instanceof RespReply.Error e) {
            if (isCode(e.message(), OLD_EPOCH_TEXT)) {
                return OLD_EPOCH;
            }
            if (isCode(e.message(), NOT_MY_META_TEXT)) {
                return NOT_MY_META;
            }
            return ERROR;
        }
        return APPLIED;
    }

    public boolean isSuccess() {
        return this == APPLIED || this == OLD_EPOCH;
    }

    /** The error code is the first word of the message. */
    static boolean isCode(String message, String code) {
        return message.equals(code) || message.startsWith(code + " ");
    }

    /** True when the connection that carried {@code reply} must not be reused. */
    public static boolean closesConnection(RespReply reply) {
        return of(reply) == NOT_MY_META;
    }
}
