package io.undermoon.broker.service;

import io.undermoon.broker.store.BrokerException;
import io.undermoon.model.broker.MetaStore;

/**
 * Where the store lives. Reads see the last published store without locking; every mutation is
 * applied to a copy, made durable, and only then published, so a failed call changes nothing (apart
 * from the deliberate partial effects, see {@link io.undermoon.broker.store.Outcome}).
 */
public interface MetaStorage extends AutoCloseable {

    /** The published store (for external storage: the local cache). */
    MetaStore snapshot();

    /**
     * Applies a mutation. A {@code FailedAfterChange} outcome is published and then thrown as its
     * error.
     */
    <T> Committed<T> mutate(Mutation<T> mutation) throws BrokerException;

    /**
     * {@code PUT /api/v3/metadata}: replaces the whole store (replica sync). INVALID_META_VERSION for
     * another format; EPOCH_SMALLER_THAN_CURRENT if the local global epoch is greater.
     */
    void replaceAll(MetaStore incoming) throws BrokerException;

    /** Starts background work (periodic writes, cache refresh). */
    void start();

    /** Stops background work and writes the meta file a last time if writing is enabled. */
    @Override
    void close();
}
