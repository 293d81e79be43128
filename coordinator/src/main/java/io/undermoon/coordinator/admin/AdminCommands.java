package io.undermoon.coordinator.admin;

import io.undermoon.coordinator.broker.BrokerAddresses;
import io.undermoon.resp.client.RespReply;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The coordinator's admin commands (spec §6.8), with the reference's exact replies:
 * <ul>
 *   <li>{@code CONFIG GET brokers} and {@code CONFIG GET reporter_id}: one bulk string (the brokers
 *       joined with ','), not Redis's name/value array;</li>
 *   <li>{@code CONFIG SET brokers a,b,...}: split on ',' without trimming, replaced atomically,
 *       {@code +OK}. Unlike the reference, an address that is not {@code host:port} (an empty one
 *       included) is refused and nothing changes;</li>
 *   <li>{@code UMCTL DEBUG FUTURE}: lines describing the loops and the admin sessions;</li>
 *   <li>anything else, PING included: {@code -ERR_COMMAND_NOT_SUPPORTED: <name>}.</li>
 * </ul>
 * Command and sub-command names are case-insensitive; field names are case-sensitive.
 */
public final class AdminCommands {
    static final String MISSING_SUB_ARGUMENT = "Missing sub argument";
    static final String INVALID_SUB_ARGUMENT = "Invalid sub argument";
    static final String INVALID_UMCTL_SUB = "Invalid sub command for UMCTL";
    static final String BROKERS = "brokers";
    static final String REPORTER_ID = "reporter_id";

    private final BrokerAddresses brokers;
    private final String reporterId;
    private final Supplier<List<String>> debugLines;

    public AdminCommands(BrokerAddresses brokers, String reporterId, Supplier<List<String>> debugLines) {
        this.brokers = brokers;
        this.reporterId = reporterId;
        this.debugLines = debugLines;
    }

    /** Executes one command (its name and arguments) and returns the reply. */
    public RespReply execute(List<byte[]> args) {
        if (args.isEmpty()) {
            return error(MISSING_SUB_ARGUMENT);
        }
        String name = lossy(args.get(0));
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "CONFIG" -> config(args);
            case "UMCTL" -> umctl(args);
            default -> error("ERR_COMMAND_NOT_SUPPORTED: " + name);
        };
    }

    private RespReply config(List<byte[]> args) {
        if (args.size() < 2) {
            return error(MISSING_SUB_ARGUMENT);
        }
        Optional<String> sub = utf8(args.get(1));
        if (sub.isEmpty()) {
            return error(INVALID_SUB_ARGUMENT);
        }
        return switch (sub.get().toUpperCase(Locale.ROOT)) {
            case "GET" -> configGet(args);
            case "SET" -> configSet(args);
            default -> error("Invalid config sub command: " + sub.get());
        };
    }

    private RespReply configGet(List<byte[]> args) {
        if (args.size() < 3) {
            return error(MISSING_SUB_ARGUMENT);
        }
        Optional<String> field = utf8(args.get(2));
        if (field.isEmpty()) {
            return error(INVALID_SUB_ARGUMENT);
        }
        return switch (field.get()) {
            case BROKERS -> RespReply.bulk(String.join(",", brokers.get()));
            case REPORTER_ID -> RespReply.bulk(reporterId);
            default -> error("Invalid CONFIG field " + field.get());
        };
    }

    private RespReply configSet(List<byte[]> args) {
        if (args.size() < 4) {
            return error(MISSING_SUB_ARGUMENT);
        }
        Optional<String> field = utf8(args.get(2));
        Optional<String> value = utf8(args.get(3));
        if (field.isEmpty() || value.isEmpty()) {
            return error(INVALID_SUB_ARGUMENT);
        }
        if (!field.get().equals(BROKERS)) {
            return error("Invalid CONFIG SET field " + field.get());
        }
        List<String> addresses = new ArrayList<>(Arrays.asList(value.get().split(",", -1)));
        for (String a : addresses) {
            String problem = BrokerAddresses.problem(a);
            if (problem != null) {
                return error("Invalid CONFIG SET value for brokers: " + problem);
            }
        }
        brokers.set(addresses);
        return new RespReply.Simple("OK");
    }

    private RespReply umctl(List<byte[]> args) {
        if (args.size() < 2) {
            return error(MISSING_SUB_ARGUMENT);
        }
        if (args.size() >= 3 && lossy(args.get(1)).equalsIgnoreCase("DEBUG") && lossy(args.get(2)).equalsIgnoreCase("FUTURE")) {
            List<RespReply> lines = new ArrayList<>();
            for (String line : debugLines.get()) {
                lines.add(RespReply.bulk(line));
            }
            return new RespReply.Array(lines);
        }
        return error(INVALID_UMCTL_SUB);
    }

    private static RespReply error(String message) {
        return new RespReply.Error(message);
    }

    private static String lossy(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Optional<String> utf8(byte[] b) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
