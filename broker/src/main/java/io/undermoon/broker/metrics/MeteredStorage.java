package io.undermoon.broker.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.undermoon.broker.service.Committed;
import io.undermoon.broker.service.MetaStorage;
import io.undermoon.broker.service.Mutation;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.model.broker.MetaStore;
import java.util.function.Consumer;

/** A {@link MetaStorage} whose writes are timed; {@code afterWrite} sees each store a write published. */
final class MeteredStorage implements MetaStorage {
    private final MetaStorage inner;
    private final Histogram writes;
    private final Consumer<MetaStore> afterWrite;

    MeteredStorage(MetaStorage inner, Histogram writes, Consumer<MetaStore> afterWrite) {
        this.inner = inner;
        this.writes = writes;
        this.afterWrite = afterWrite;
    }

    @Override
    public MetaStore snapshot() {
        return inner.snapshot();
    }

    @Override
    public <T> Committed<T> mutate(Mutation<T> mutation) throws BrokerException {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            Committed<T> c = inner.mutate(mutation);
            outcome = "ok";
            return c;
        } finally {
            writes.labelValues("mutate", outcome).observe((System.nanoTime() - start) / 1e9);
            afterWrite.accept(inner.snapshot());
        }
    }

    @Override
    public void replaceAll(MetaStore incoming) throws BrokerException {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            inner.replaceAll(incoming);
            outcome = "ok";
        } finally {
            writes.labelValues("replace_all", outcome).observe((System.nanoTime() - start) / 1e9);
            afterWrite.accept(inner.snapshot());
        }
    }

    @Override
    public void start() {
        inner.start();
    }

    @Override
    public void close() {
        inner.close();
    }
}
