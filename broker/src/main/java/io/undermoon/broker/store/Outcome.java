package io.undermoon.broker.store;

/**
 * How a mutation ended when it did change the store. A mutation that fails without a lasting
 * effect throws {@link BrokerException} and nothing is published; {@link FailedAfterChange} is the
 * deliberate exception: the reference keeps some effects of an operation that then fails (a failover
 * without a free proxy keeps its role takeover; re-adding a known proxy clears its failure state
 * and answers {@code ALREADY_EXISTED}). Such a result is published, then reported as the error.
 */
public sealed interface Outcome<T> {

    record Done<T>(T value) implements Outcome<T> {}

    record FailedAfterChange<T>(BrokerError error) implements Outcome<T> {}

    static <T> Outcome<T> done(T value) {
        return new Done<>(value);
    }

    static Outcome<Void> done() {
        return new Done<>(null);
    }

    static <T> Outcome<T> failedAfterChange(BrokerError error) {
        return new FailedAfterChange<>(error);
    }
}
