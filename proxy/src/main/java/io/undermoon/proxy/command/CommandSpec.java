package io.undermoon.proxy.command;

import java.nio.charset.StandardCharsets;

/**
 * One entry of the command table. Key positions follow Redis's COMMAND INFO: keys are at
 * {@code firstKey, firstKey+step, ...} up to {@code lastKey} (negative counts from the end), plus,
 * for commands with a numkeys argument, the {@code numkeys} arguments after {@code numkeysIndex}.
 *
 * @param name         upper-case name
 * @param arity        Redis arity: n exact, -n at least n (counting the name)
 * @param kind         how the proxy handles it
 * @param firstKey     first key index, 0 for none
 * @param lastKey      last key index, negative from the end
 * @param step         step between keys
 * @param numkeysIndex index of a numkeys argument, 0 for none
 * @param streams      keys follow a STREAMS keyword (XREAD, XREADGROUP)
 * @param write        may modify data
 * @param mayDelete    may delete its key (matters while a slot is being imported)
 * @param message      the error for {@link CommandKind#UNSUPPORTED}
 */
public record CommandSpec(
        String name,
        int arity,
        CommandKind kind,
        int firstKey,
        int lastKey,
        int step,
        int numkeysIndex,
        boolean streams,
        boolean write,
        boolean mayDelete,
        String message) {

    public byte[] nameBytes() {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    public String lowerName() {
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    /** True when argc satisfies the arity. */
    public boolean arityOk(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    public boolean hasKeys() {
        return firstKey > 0 || numkeysIndex > 0 || streams;
    }
}
