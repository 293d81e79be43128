package io.undermoon.broker.service;

import io.undermoon.broker.store.BrokerException;
import io.undermoon.broker.store.Outcome;
import io.undermoon.broker.store.StoreDraft;

/** A change to the store, applied to a private draft. Throwing leaves the published store untouched. */
@FunctionalInterface
public interface Mutation<T> {
    Outcome<T> apply(StoreDraft draft) throws BrokerException;

    /** A mutation that either succeeds with a value or throws. */
    static <T> Mutation<T> of(Step<T> step) {
        return d -> Outcome.done(step.apply(d));
    }

    /** A mutation without a result value. */
    static Mutation<Void> run(VoidStep step) {
        return d -> {
            step.apply(d);
            return Outcome.done();
        };
    }

    @FunctionalInterface
    interface Step<T> {
        T apply(StoreDraft draft) throws BrokerException;
    }

    @FunctionalInterface
    interface VoidStep {
        void apply(StoreDraft draft) throws BrokerException;
    }
}
