package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EpochTrackerTest {

    @Test
    void anEpochBelowWhatTheSameBrokerAnsweredBeforeIsARegression() {
        EpochTracker t = new EpochTracker();
        assertThat(t.observe("b1", 1000, 5)).isFalse();
        assertThat(t.observe("b1", 2000, 5)).isFalse();
        assertThat(t.observe("b1", 3000, 9)).isFalse();
        assertThat(t.observe("b1", 4000, 8)).isTrue();
        // after the regression the highest stays 9: a second lower answer is another finding
        assertThat(t.observe("b1", 5000, 9)).isFalse();
        assertThat(t.regressions()).singleElement().asString().isEqualTo("b1 answered epoch 8 at 4000 ms after 9 at 3000 ms");
        assertThat(t.answers()).isEqualTo(5);
        assertThat(t.highest()).isEqualTo(9);
    }

    @Test
    void brokersAreComparedOnlyWithThemselves() {
        EpochTracker t = new EpochTracker();
        t.observe("b1", 1000, 12);
        // b2's watched copy trails b1's by a moment: not a regression
        assertThat(t.observe("b2", 1100, 11)).isFalse();
        assertThat(t.regressions()).isEmpty();
    }
}
