package io.undermoon.proxy.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undermoon.model.MigrationConfig;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotHash;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.model.umctl.MigrationTask;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.ServerProxy;
import io.undermoon.process.RedisProcess;
import io.undermoon.testkit.Resp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The source side's state machine against a real importing proxy (a {@link ServerProxy} in this
 * JVM) and two real Redis: the switch waits for the commands in flight, holds the new ones and
 * hands them back, the keys are copied, and the destination confirms every switch command.
 */
class MigratingTaskIT {
    private static final RangeList HIGH_HALF = RangeList.of(new Range(8192, 16383));
    private static final long EPOCH = 5;

    private RedisProcess src;
    private RedisProcess dst;
    private ServerProxy destinationProxy;
    private final List<MigrationState> states = new CopyOnWriteArrayList<>();
    private final List<String> released = new CopyOnWriteArrayList<>();
    private final MigrationStats stats = new MigrationStats();
    private MigratingTask task;

    @BeforeEach
    void start() throws Exception {
        src = RedisProcess.start();
        dst = RedisProcess.start();
        destinationProxy = ServerProxy.start(ProxyConfig.load(ConfigSource.of(Map.of("address", "127.0.0.1:0",
                "thread_number", 1))));
    }

    @AfterEach
    void stop() {
        try {
            if (task != null) {
                task.stop();
            }
            if (destinationProxy != null) {
                destinationProxy.close();
            }
        } finally {
            if (src != null) {
                src.close();
            }
            if (dst != null) {
                dst.close();
            }
        }
    }

    private String destinationProxyAddress() {
        return "127.0.0.1:" + destinationProxy.port();
    }

    private String migrationMeta() {
        return EPOCH + " 127.0.0.1:1 " + src.address() + " " + destinationProxyAddress() + " " + dst.address();
    }

    private MigrationTask identity() throws Exception {
        return MigrationTask.parse("mycluster MIGRATING 1 8192-16383 " + migrationMeta());
    }

    /** The coordinator's SETCLUSTER that tells the destination proxy it imports the range. */
    private void destinationLearnsTheMigration() throws Exception {
        assertThat(Resp.command("127.0.0.1", destinationProxy.port(), ("UMCTL SETCLUSTER v2 " + EPOCH + " NOFLAG mycluster "
                + dst.address() + " IMPORTING 1 8192-16383 " + migrationMeta()).split(" "))).isEqualTo("+OK");
    }

    private MigratingTask newTask(long maxBlockingMillis) throws Exception {
        MigrationConfig config = new MigrationConfig(3600, maxBlockingMillis, 0, 16);
        return new MigratingTask(identity(), config, Optional.empty(), stats, () -> states.add(task.state()),
                false, () -> 0, 1000, MigrationClock.SYSTEM);
    }

    private int fillSource() throws Exception {
        int inRange = 0;
        for (int i = 0; i < 100; i++) {
            String k = "key" + i;
            Resp.command(src.address(), "SET", k, "v" + i);
            if (HIGH_HALF.contains(SlotHash.slot(k.getBytes(StandardCharsets.UTF_8)))) {
                inRange++;
            }
        }
        return inRange;
    }

    @Test
    void switchesAfterTheCommandInFlightAndCopiesTheRange() throws Exception {
        int inRange = fillSource();
        task = newTask(60_000);
        assertThat(task.serveLocally()).as("before the switch the source serves the range").isTrue();
        task.start();
        Thread.sleep(100);
        assertThat(task.state()).as("the destination does not know the task yet").isEqualTo(MigrationState.PRE_CHECK);

        destinationLearnsTheMigration();
        await().atMost(Duration.ofSeconds(10)).until(() -> task.state() == MigrationState.PRE_BLOCKING);
        assertThat(task.serveLocally()).as("blocking: nothing new runs on the source").isFalse();
        assertThat(task.isHolding()).isTrue();
        assertThat(task.hold(() -> released.add("held"))).isTrue();
        Thread.sleep(200);
        assertThat(task.state()).as("the command in flight holds the switch").isEqualTo(MigrationState.PRE_BLOCKING);
        assertThat(released).isEmpty();

        task.done(); // its reply came: the switch goes on at once
        await().atMost(Duration.ofSeconds(30)).until(() -> task.state() == MigrationState.SWITCH_COMMITTED);
        assertThat(states).containsExactly(MigrationState.PRE_BLOCKING, MigrationState.PRE_SWITCH, MigrationState.SCANNING,
                MigrationState.FINAL_SWITCH, MigrationState.SWITCH_COMMITTED);
        assertThat(released).containsExactly("held");
        assertThat(task.serveLocally()).isFalse();
        assertThat(task.isHolding()).isFalse();
        assertThat(task.hold(() -> released.add("late"))).as("switched: the router sends MOVED").isFalse();
        assertThat(Resp.command(dst.address(), "DBSIZE")).isEqualTo(":" + inRange);
        assertThat(Resp.command(src.address(), "DBSIZE")).isEqualTo(":" + (100 - inRange));
        assertThat(stats.blockingTimeouts.sum()).isZero();
        assertThat(String.valueOf(Resp.command("127.0.0.1", destinationProxy.port(), "UMCTL", "DEBUG", "FUTURE")))
                .contains("SWITCH_COMMITTED");
        List<String> umsync = new CopyOnWriteArrayList<>();
        task.umsync("key1".getBytes(StandardCharsets.UTF_8), umsync::add);
        assertThat(umsync).containsExactly("+MIGRATING_FINISHED");
    }

    @Test
    void aCommandRunningPastMaxBlockingTimeSendsTheRangeBackThenTheSwitchFollowsItsReply() throws Exception {
        fillSource();
        destinationLearnsTheMigration();
        task = newTask(300);
        assertThat(task.serveLocally()).isTrue(); // a command that takes long
        task.start();
        // the counter moves just before the state goes back to PRE_CHECK: wait for both
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.blockingTimeouts.sum() >= 1 && states.size() >= 2);
        assertThat(states).startsWith(MigrationState.PRE_BLOCKING, MigrationState.PRE_CHECK);
        assertThat(task.state()).isIn(MigrationState.PRE_CHECK, MigrationState.PRE_BLOCKING);
        task.done();
        await().atMost(Duration.ofSeconds(30)).until(() -> task.state() == MigrationState.SWITCH_COMMITTED);
    }

    @Test
    void aStoppedTaskReleasesWhatItHeldAndRefusesUmsync() throws Exception {
        destinationLearnsTheMigration();
        task = newTask(60_000);
        assertThat(task.serveLocally()).isTrue();
        task.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> task.state() == MigrationState.PRE_BLOCKING);
        assertThat(task.hold(() -> released.add("held"))).isTrue();
        task.stop();
        assertThat(released).containsExactly("held");
        task.join(Duration.ofSeconds(10));
        List<String> umsync = new CopyOnWriteArrayList<>();
        task.umsync("key1".getBytes(StandardCharsets.UTF_8), umsync::add);
        assertThat(umsync).containsExactly("-MIGRATION_TASK_NOT_FOUND");
        assertThat(task.state()).isEqualTo(MigrationState.PRE_BLOCKING);
    }
}
