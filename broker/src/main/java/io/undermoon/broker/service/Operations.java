package io.undermoon.broker.service;

import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.broker.store.Outcome;
import io.undermoon.broker.store.StoreDraft;
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
}
