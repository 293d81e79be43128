package io.undermoon.broker.testing;

import io.undermoon.broker.BrokerStartException;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.broker.service.ProxyEpochReader;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Starting brokers for tests: on 127.0.0.1 and a free port, with config overrides. */
public final class Brokers {
    private Brokers() {}

    public static BrokerConfig config(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>();
        values.put("address", "127.0.0.1:0");
        values.putAll(overrides);
        try {
            return BrokerConfig.from(ConfigSource.of(values));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static MemBroker start(Map<String, Object> overrides) {
        BrokerConfig c = config(overrides);
        return start(c, ProxyEpochReader.resp(c.proxyEpochTimeout()), Clock.systemUTC());
    }

    public static MemBroker start(BrokerConfig config, ProxyEpochReader reader, Clock clock) {
        try {
            return MemBroker.start(config, reader, clock);
        } catch (BrokerStartException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock tests can move. */
    public static final class MutableClock extends Clock {
        private volatile java.time.Instant now;

        public MutableClock(java.time.Instant start) {
            this.now = start;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }
}
