package io.undermoon.proxy.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undermoon.model.umctl.MigrationTask;
import io.undermoon.process.RedisProcess;
import io.undermoon.testkit.Resp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The UMSYNC worker between two real Redis: each key asked for is off the source before its answer. */
class SyncWorkerIT {

    static MigrationTask task(String srcNode, String dstNode) throws Exception {
        return MigrationTask.parse("mycluster MIGRATING 1 0-16383 5 127.0.0.1:1 " + srcNode + " 127.0.0.1:2 " + dstNode);
    }

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void movesEveryKeyAskedForBeforeAnsweringAndServesWhatWasQueuedFirst() throws Exception {
        try (RedisProcess src = RedisProcess.start(); RedisProcess dst = RedisProcess.start()) {
            Resp.command(src.address(), "SET", "a", "1");
            Resp.command(src.address(), "RPUSH", "b", "x", "y");
            MigrationStats stats = new MigrationStats();
            SyncWorker worker = new SyncWorker(task(src.address(), dst.address()), mover(src, dst, stats), stats,
                    MigrationClock.SYSTEM);
            Map<String, String> replies = new ConcurrentHashMap<>();
            worker.submit(key("a"), r -> replies.put("a", r)); // queued before the worker starts
            worker.start();
            try {
                worker.submit(key("b"), r -> replies.put("b", r));
                worker.submit(key("absent"), r -> replies.put("absent", r));
                await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 3);
                assertThat(replies).containsEntry("a", "+OK").containsEntry("b", "+OK").containsEntry("absent", "+OK");
                assertThat(Resp.command(dst.address(), "GET", "a")).isEqualTo("1");
                assertThat(Resp.command(dst.address(), "LRANGE", "b", "0", "-1")).isEqualTo(java.util.List.of("x", "y"));
                assertThat(Resp.command(src.address(), "DBSIZE")).isEqualTo(":0");
                assertThat(stats.movedKeys.sum()).isEqualTo(2);
            } finally {
                worker.finish();
            }
        }
    }

    @Test
    void finishServesTheQueueThenEnds() throws Exception {
        try (RedisProcess src = RedisProcess.start(); RedisProcess dst = RedisProcess.start()) {
            MigrationStats stats = new MigrationStats();
            SyncWorker worker = new SyncWorker(task(src.address(), dst.address()), mover(src, dst, stats), stats,
                    MigrationClock.SYSTEM);
            Map<String, String> replies = new ConcurrentHashMap<>();
            for (int i = 0; i < 50; i++) {
                Resp.command(src.address(), "SET", "k" + i, "v" + i);
                String k = "k" + i;
                worker.submit(key(k), r -> replies.put(k, r));
            }
            worker.start();
            worker.finish();
            assertThat(replies).hasSize(50).allSatisfy((k, r) -> assertThat(r).isEqualTo("+OK"));
            assertThat(Resp.command(dst.address(), "DBSIZE")).isEqualTo(":50");
        }
    }

    @Test
    void aStoppedWorkerAnswersWhatIsLeftWithTheGivenError() throws Exception {
        try (RedisProcess src = RedisProcess.start(); RedisProcess dst = RedisProcess.start()) {
            MigrationStats stats = new MigrationStats();
            SyncWorker worker = new SyncWorker(task(src.address(), dst.address()), mover(src, dst, stats), stats,
                    MigrationClock.SYSTEM);
            worker.stop(); // never started: nothing is served
            Map<String, String> replies = new ConcurrentHashMap<>();
            worker.submit(key("a"), r -> replies.put("a", r));
            worker.failQueued("-MIGRATION_TASK_NOT_FOUND");
            assertThat(replies).containsExactly(Map.entry("a", "-MIGRATION_TASK_NOT_FOUND"));
        }
    }

    static KeyMover mover(RedisProcess src, RedisProcess dst, MigrationStats stats) throws Exception {
        return new KeyMover(src.address(), dst.address(), task(src.address(), dst.address()).slotRange().rangeList(),
                Duration.ofSeconds(5), MigrateHead.TIMEOUT_MILLIS, stats);
    }
}
