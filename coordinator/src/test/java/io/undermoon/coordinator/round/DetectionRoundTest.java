package io.undermoon.coordinator.round;

import static io.undermoon.coordinator.testing.Views.freeProxy;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.loop.RoundError;
import io.undermoon.coordinator.testing.ScriptedBroker;
import io.undermoon.coordinator.testing.ScriptedProxyClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DetectionRoundTest {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScriptedBroker broker = new ScriptedBroker();
    private final ScriptedProxyClient proxies = new ScriptedProxyClient();
    private final AtomicInteger wakeups = new AtomicInteger();

    @BeforeEach
    void proxies() {
        for (int i = 1; i <= 3; i++) {
            String a = "127.0.0.1:600" + i;
            broker.proxies.put(a, freeProxy(a, 1, "127.0.0.1:700" + (2 * i), "127.0.0.1:700" + (2 * i + 1)));
        }
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
    }

    private DetectionRound round(int attempts) {
        return new DetectionRound(broker, proxies, attempts, "coordinator-1", executor, wakeups::incrementAndGet);
    }

    @Test
    void anyReplyMeansAliveEvenAnError() throws InterruptedException {
        proxies.answer((a, c) -> new RespReply.Error("ERR unknown command"));
        assertThat(round(3).run()).isEmpty();
        assertThat(proxies.addressesOf("PING")).hasSize(3);
        assertThat(broker.calls()).isEmpty();
        assertThat(wakeups).hasValue(0);
    }

    @Test
    void threeFailedAttemptsReportTheProxyWithTheReporterId() throws InterruptedException {
        proxies.down.add("127.0.0.1:6002");
        List<RoundError> errors = round(3).run();
        assertThat(proxies.addressesOf("PING")).filteredOn("127.0.0.1:6002"::equals).hasSize(3);
        assertThat(broker.calls()).containsExactly("report 127.0.0.1:6002 coordinator-1");
        assertThat(errors).extracting(RoundError::key).containsExactly("127.0.0.1:6002");
        assertThat(wakeups).hasValue(1);
    }

    @Test
    void theNumberOfAttemptsIsConfigurable() throws InterruptedException {
        proxies.down.add("127.0.0.1:6002");
        round(5).run();
        assertThat(proxies.addressesOf("PING")).filteredOn("127.0.0.1:6002"::equals).hasSize(5);
    }

    @Test
    void aProxyThatAnswersALaterAttemptIsAlive() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        proxies.answer((a, c) -> {
            if (a.equals("127.0.0.1:6001") && calls.incrementAndGet() <= 2) {
                throw new IOException("timed out");
            }
            return new RespReply.Simple("PONG");
        });
        assertThat(round(3).run()).isEmpty();
        assertThat(broker.calls()).isEmpty();
    }

    @Test
    void failedProxiesAreNotPinged() throws InterruptedException {
        broker.failed.add("127.0.0.1:6003");
        round(3).run();
        assertThat(proxies.addressesOf("PING")).containsExactlyInAnyOrder("127.0.0.1:6001", "127.0.0.1:6002");
        assertThat(proxies.retained()).containsExactly("127.0.0.1:6001", "127.0.0.1:6002");
    }

    @Test
    void anErrorFetchingTheFailedListIsIgnored() throws InterruptedException {
        broker.failed.add("127.0.0.1:6003");
        broker.failedListError = new BrokerCallException(BrokerCallException.Kind.IO, "timed out");
        assertThat(round(3).run()).isEmpty();
        assertThat(proxies.addressesOf("PING")).hasSize(3);
    }

    @Test
    void aPartialListingIsAnErrorButTheListedProxiesAreStillCheckedAndReported() throws InterruptedException {
        broker.listingError = new BrokerCallException(BrokerCallException.Kind.IO, "page 2: connection reset");
        proxies.down.add("127.0.0.1:6001");
        List<RoundError> errors = round(3).run();
        assertThat(errors).extracting(RoundError::key).containsExactlyInAnyOrder(ProxyTargets.LISTING_KEY, "127.0.0.1:6001");
        assertThat(broker.calls()).containsExactly("report 127.0.0.1:6001 coordinator-1");
    }

    @Test
    void aFailedReportIsAnError() throws InterruptedException {
        proxies.down.add("127.0.0.1:6001");
        broker.reportError = new BrokerCallException(BrokerCallException.Kind.NO_BROKER, "no broker address configured");
        List<RoundError> errors = round(3).run();
        assertThat(errors).extracting(RoundError::message).anyMatch(m -> m.contains("cannot report"));
        assertThat(wakeups).hasValue(0);
    }

    @Test
    void manyProxiesAreCheckedInBatches() throws InterruptedException {
        for (int i = 10; i < 80; i++) {
            broker.proxiesWithoutView.add("127.0.0.2:" + (6000 + i));
        }
        assertThat(round(3).run()).isEmpty();
        assertThat(proxies.addressesOf("PING")).hasSize(73).doesNotHaveDuplicates();
    }
}
