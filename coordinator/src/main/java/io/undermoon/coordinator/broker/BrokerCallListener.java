package io.undermoon.coordinator.broker;

/** Told of every HTTP call {@link HttpBrokerClient} makes, after it ended (metrics). */
@FunctionalInterface
public interface BrokerCallListener {
    BrokerCallListener NONE = (broker, method, path, status, nanos) -> { };

    /**
     * @param broker the broker address the call went to
     * @param path   the path after {@code /api/v3}, query included
     * @param status the HTTP status, or -1 when no answer came (connect failure, timeout, bad body)
     */
    void called(String broker, String method, String path, int status, long nanos);
}
