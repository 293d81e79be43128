package io.undermoon.it;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import redis.clients.jedis.JedisCluster;

/**
 * Clients that run SET, GET, INCR, DEL, EXPIRE, LPUSH/LPOP, HSET and ZADD on keys of their own and
 * keep a model of what the cluster must hold. Every reply is checked against the model as it
 * arrives; {@link #verify} checks the whole model (values, counters, TTLs within a second) at the end.
 */
final class ModelWorkload implements AutoCloseable {
    private static final long TTL_MILLIS = 600_000;

    /** What one key must hold. */
    private static final class Entry {
        String string;
        long counter;
        final Deque<String> list = new ArrayDeque<>();
        final Map<String, String> hash = new HashMap<>();
        final Map<String, Double> zset = new HashMap<>();
        long expiresAtMillis; // 0 = no TTL
    }

    private final Supplier<JedisCluster> clients;
    private final int workers;
    private final int keysPerWorker;
    private final List<Map<String, Entry>> models = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong ops = new AtomicLong();
    private final ExecutorService pool;
    private final List<Future<?>> running = new ArrayList<>();

    ModelWorkload(Supplier<JedisCluster> clients, int workers, int keysPerWorker) {
        this.clients = clients;
        this.workers = workers;
        this.keysPerWorker = keysPerWorker;
        this.pool = Executors.newFixedThreadPool(workers);
    }

    void start() {
        for (int w = 0; w < workers; w++) {
            Map<String, Entry> model = new HashMap<>();
            models.add(model);
            int id = w;
            running.add(pool.submit(() -> run(id, model)));
        }
    }

    long ops() {
        return ops.get();
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    private void run(int id, Map<String, Entry> model) {
        Random rnd = new Random(id * 7919L);
        try (JedisCluster jc = clients.get()) {
            while (!stop.get()) {
                int k = rnd.nextInt(keysPerWorker);
                try {
                    step(jc, rnd, "m" + id + ":" + k, model);
                    ops.incrementAndGet();
                } catch (RuntimeException e) {
                    problems.add("worker " + id + ": " + e);
                }
            }
        }
    }

    private void step(JedisCluster jc, Random rnd, String base, Map<String, Entry> model) {
        switch (rnd.nextInt(9)) {
            case 0 -> {
                String key = base + ":s";
                String v = "v" + rnd.nextInt(1_000_000);
                jc.set(key, v);
                Entry e = model.computeIfAbsent(key, x -> new Entry());
                e.string = v;
                e.expiresAtMillis = 0;
            }
            case 1 -> {
                String key = base + ":s";
                Entry e = model.get(key);
                check(key, "GET", jc.get(key), e == null ? null : e.string);
            }
            case 2 -> {
                String key = base + ":n";
                long v = jc.incr(key);
                Entry e = model.computeIfAbsent(key, x -> new Entry());
                e.counter++;
                check(key, "INCR", v, e.counter);
            }
            case 3 -> {
                String key = base + (rnd.nextBoolean() ? ":s" : ":l");
                long n = jc.del(key);
                check(key, "DEL", n, model.remove(key) != null ? 1L : 0L);
            }
            case 4 -> {
                String key = base + ":s";
                long n = jc.pexpire(key, TTL_MILLIS);
                Entry e = model.get(key);
                check(key, "PEXPIRE", n, e != null ? 1L : 0L);
                if (e != null) {
                    e.expiresAtMillis = System.currentTimeMillis() + TTL_MILLIS;
                }
            }
            case 5 -> {
                String key = base + ":l";
                String v = "i" + rnd.nextInt(1000);
                long len = jc.lpush(key, v);
                Entry e = model.computeIfAbsent(key, x -> new Entry());
                e.list.addFirst(v);
                check(key, "LPUSH", len, (long) e.list.size());
            }
            case 6 -> {
                String key = base + ":l";
                String got = jc.lpop(key);
                Entry e = model.get(key);
                String expected = e == null ? null : e.list.pollFirst();
                if (e != null && e.list.isEmpty()) {
                    model.remove(key);
                }
                check(key, "LPOP", got, expected);
            }
            case 7 -> {
                String key = base + ":h";
                String f = "f" + rnd.nextInt(20);
                long added = jc.hset(key, f, "x" + rnd.nextInt(100));
                Entry e = model.computeIfAbsent(key, x -> new Entry());
                boolean isNew = !e.hash.containsKey(f);
                e.hash.put(f, "?");
                check(key, "HSET", added, isNew ? 1L : 0L);
            }
            default -> {
                String key = base + ":z";
                String m = "z" + rnd.nextInt(20);
                long added = jc.zadd(key, rnd.nextInt(1000), m);
                Entry e = model.computeIfAbsent(key, x -> new Entry());
                boolean isNew = !e.zset.containsKey(m);
                e.zset.put(m, 0.0);
                check(key, "ZADD", added, isNew ? 1L : 0L);
            }
        }
    }

    private void check(String key, String op, Object got, Object expected) {
        if (!java.util.Objects.equals(got, expected)) {
            problems.add(op + " " + key + ": got " + got + ", expected " + expected);
        }
    }

    /** Stops the clients and waits for them. */
    void stop() throws Exception {
        stop.set(true);
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    /** Checks every key of the model in the cluster; returns the differences (empty = all correct). */
    List<String> verify(JedisCluster jc) {
        List<String> diffs = new ArrayList<>();
        for (Map<String, Entry> model : models) {
            for (var me : model.entrySet()) {
                String key = me.getKey();
                Entry e = me.getValue();
                if (key.endsWith(":s")) {
                    String v = jc.get(key);
                    if (!java.util.Objects.equals(v, e.string)) {
                        diffs.add(key + ": " + v + " instead of " + e.string);
                    }
                    long pttl = jc.pttl(key);
                    if (e.expiresAtMillis == 0 && pttl != -1) {
                        diffs.add(key + ": TTL " + pttl + " ms but none was set");
                    } else if (e.expiresAtMillis != 0) {
                        long expected = e.expiresAtMillis - System.currentTimeMillis();
                        if (Math.abs(pttl - expected) > 1000) {
                            diffs.add(key + ": TTL " + pttl + " ms instead of about " + expected);
                        }
                    }
                } else if (key.endsWith(":n")) {
                    String v = jc.get(key);
                    if (!Long.toString(e.counter).equals(v)) {
                        diffs.add(key + ": counter " + v + " instead of " + e.counter);
                    }
                } else if (key.endsWith(":l")) {
                    List<String> v = jc.lrange(key, 0, -1);
                    if (!v.equals(new ArrayList<>(e.list))) {
                        diffs.add(key + ": list " + v + " instead of " + e.list);
                    }
                } else if (key.endsWith(":h")) {
                    if (!jc.hkeys(key).equals(e.hash.keySet())) {
                        diffs.add(key + ": hash fields " + jc.hkeys(key) + " instead of " + e.hash.keySet());
                    }
                } else if (key.endsWith(":z")) {
                    if (jc.zcard(key) != e.zset.size()) {
                        diffs.add(key + ": zset of " + jc.zcard(key) + " instead of " + e.zset.size());
                    }
                }
            }
        }
        return diffs;
    }

    /** Keys the model says must not exist but the cluster has (resurrected or never deleted). */
    List<String> resurrected(JedisCluster jc) {
        List<String> out = new ArrayList<>();
        for (int w = 0; w < models.size(); w++) {
            Map<String, Entry> model = models.get(w);
            for (int k = 0; k < keysPerWorker; k++) {
                for (String suffix : new String[] {":s", ":n", ":l", ":h", ":z"}) {
                    String key = "m" + w + ":" + k + suffix;
                    if (!model.containsKey(key) && jc.exists(key)) {
                        out.add(key);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        stop.set(true);
        pool.shutdownNow();
    }
}
