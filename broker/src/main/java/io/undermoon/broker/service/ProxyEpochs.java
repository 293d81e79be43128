package io.undermoon.broker.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the epochs of many proxies at once (virtual threads, at most 64 connections in flight). */
final class ProxyEpochs {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyEpochs.class);
    private static final int MAX_IN_FLIGHT = 64;

    /** The largest epoch read (0 if none) and the proxies that did not answer, sorted. */
    record Result(long maxEpoch, long minEpoch, List<String> failed) {}

    private ProxyEpochs() {}

    static Result read(ProxyEpochReader reader, Collection<String> addresses) throws InterruptedException {
        Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
        List<String> order = new ArrayList<>(addresses);
        List<Future<Long>> futures = new ArrayList<>(order.size());
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String address : order) {
                futures.add(ex.submit(() -> {
                    slots.acquire();
                    try {
                        return reader.epoch(address);
                    } finally {
                        slots.release();
                    }
                }));
            }
            long max = 0;
            long min = Long.MAX_VALUE;
            TreeSet<String> failed = new TreeSet<>();
            for (int i = 0; i < order.size(); i++) {
                try {
                    long e = futures.get(i).get();
                    max = Math.max(max, e);
                    min = Math.min(min, e);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    LOG.debug("UMCTL GETEPOCH to {} failed: {}", order.get(i), cause.toString());
                    if (!(cause instanceof IOException)) {
                        LOG.warn("unexpected failure reading the epoch of {}", order.get(i), cause);
                    }
                    failed.add(order.get(i));
                }
            }
            return new Result(max, order.isEmpty() ? 0 : min, List.copyOf(failed));
        }
    }
}
