package io.undermoon.coordinator.round;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.testing.ScriptedBroker;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EpochWatchRoundTest {
    private final ScriptedBroker broker = new ScriptedBroker();
    private final AtomicInteger wakes = new AtomicInteger();
    private final EpochWatchRound round = new EpochWatchRound(broker, wakes::incrementAndGet);

    @Test
    void wakesOnlyWhenTheEpochChangesAfterTheFirstRead() {
        broker.epoch = 7;
        assertThat(round.run()).isEmpty();
        assertThat(wakes).as("the first read only learns the epoch").hasValue(0);
        assertThat(round.run()).isEmpty();
        assertThat(wakes).as("unchanged").hasValue(0);
        broker.epoch = 9;
        assertThat(round.run()).isEmpty();
        assertThat(wakes).hasValue(1);
        assertThat(round.run()).isEmpty();
        assertThat(wakes).hasValue(1);
        broker.epoch = 3; // a broker whose metadata was replaced (PUT /metadata) may go back: still a change
        round.run();
        assertThat(wakes).hasValue(2);
    }

    @Test
    void aFailedReadIsAProblemOfTheRoundAndForgetsNothing() {
        broker.epoch = 7;
        round.run();
        broker.epochError = new BrokerCallException(BrokerCallException.Kind.IO, "connection refused");
        assertThat(round.run()).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("epoch");
            assertThat(e.message()).contains("global epoch").contains("connection refused");
        });
        assertThat(wakes).hasValue(0);
        broker.epochError = null;
        broker.epoch = 8;
        round.run();
        assertThat(wakes).as("compared with the last epoch read").hasValue(1);
    }
}
