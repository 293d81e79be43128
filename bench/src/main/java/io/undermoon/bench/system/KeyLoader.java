package io.undermoon.bench.system;

import io.undermoon.model.SlotHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/** Loads keys into any Redis Cluster (ours or the official one) with one pipeline per node. */
final class KeyLoader {
    private KeyLoader() {}

    static String key(long i) {
        return String.format("key:%08d", i);
    }

    /** Owner address of every slot, from CLUSTER SLOTS of one node. */
    static String[] slotOwners(String host, int port) {
        String[] owners = new String[SlotHash.SLOT_NUM];
        try (Jedis j = new Jedis(host, port)) {
            for (Object o : j.clusterSlots()) {
                List<?> e = (List<?>) o;
                long start = (Long) e.get(0);
                long end = (Long) e.get(1);
                List<?> node = (List<?>) e.get(2);
                String addr = new String((byte[]) node.get(0)) + ":" + node.get(1);
                for (long s = start; s <= end; s++) {
                    owners[(int) s] = addr;
                }
            }
        }
        return owners;
    }

    static void load(String host, int port, long keys, int valueSize) throws Exception {
        String[] owners = slotOwners(host, port);
        Map<String, List<Long>> byOwner = new HashMap<>();
        for (long i = 0; i < keys; i++) {
            byOwner.computeIfAbsent(owners[SlotHash.slot(key(i))], a -> new ArrayList<>()).add(i);
        }
        byte[] value = new byte[valueSize];
        java.util.Arrays.fill(value, (byte) 'x');
        ExecutorService pool = Executors.newFixedThreadPool(byOwner.size());
        List<Future<?>> done = new ArrayList<>();
        for (var e : byOwner.entrySet()) {
            String[] hp = e.getKey().split(":");
            done.add(pool.submit(() -> {
                try (Jedis j = new Jedis(hp[0], Integer.parseInt(hp[1]), 30_000)) {
                    Pipeline p = j.pipelined();
                    int n = 0;
                    for (long i : e.getValue()) {
                        p.set(key(i).getBytes(), value);
                        if (++n % 1000 == 0) {
                            p.sync();
                        }
                    }
                    p.sync();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }
}
