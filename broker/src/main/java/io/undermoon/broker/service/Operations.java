package io.undermoon.broker.service;

import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.broker.store.Outcome;
import io.undermoon.broker.store.StoreDraft;
import io.undermoon.model.broker.MetaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a mutation on a draft, turning an unexpected failure into INTERNAL_ERROR (logged once). */
public final class Operations {
    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

    private Operations() {}

    public static <T> Outcome<T> apply(Mutation<T> mutation, StoreDraft draft) throws BrokerException {
        try {
            return mutation.apply(draft);
        } catch (BrokerException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("unexpected failure in a store mutation; nothing was changed", e);
            throw new BrokerException(BrokerError.INTERNAL_ERROR, "internal error: " + e);
        }
    }

    /**
     * What a storage answers once the mutation's store is published: its value, or the error of a
     * deliberate partial effect ({@link Outcome.FailedAfterChange}).
     */
    public static <T> Committed<T> committed(Outcome<T> outcome, MetaStore published) throws BrokerException {
        return switch (outcome) {
            case Outcome.Done<T> done -> new Committed<>(done.value(), published);
            case Outcome.FailedAfterChange<T> failed -> throw new BrokerException(failed.error());
        };
    }
}
