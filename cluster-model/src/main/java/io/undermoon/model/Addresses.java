package io.undermoon.model;

import java.util.Optional;

/** Helpers for "host:port" address strings as they appear in metadata. */
public final class Addresses {
    private Addresses() {}

    /** The text before the first ':' or empty when there is no ':'. */
    public static Optional<String> host(String address) {
        int i = address.indexOf(':');
        return i < 0 ? Optional.empty() : Optional.of(address.substring(0, i));
    }

    /** Splits "host:port" at the last ':'; empty when the port is not a number in 0..65535. */
    public static Optional<HostPort> parse(String address) {
        int i = address.lastIndexOf(':');
        if (i <= 0 || i == address.length() - 1) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(address.substring(i + 1));
            if (port < 0 || port > 65535) {
                return Optional.empty();
            }
            return Optional.of(new HostPort(address.substring(0, i), port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
