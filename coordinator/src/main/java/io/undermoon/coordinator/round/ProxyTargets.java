package io.undermoon.coordinator.round;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.broker.BrokerClient;
import io.undermoon.coordinator.broker.Listing;
import io.undermoon.coordinator.loop.RoundError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The proxies the detection and migration loops visit: every registered proxy except the failed
 * ones (spec §6.3). A failed proxy is never contacted again, even when it comes back; it must be
 * registered again. As in the reference, an error fetching the failed list is ignored (then every
 * proxy is a target); an error in the listing is a problem of the round, which goes on with the
 * proxies it did get.
 */
record ProxyTargets(List<String> addresses, List<RoundError> errors) {

    static final String LISTING_KEY = "proxy listing";

    static ProxyTargets fetch(BrokerClient broker) {
        List<RoundError> errors = new ArrayList<>();
        Listing all = broker.proxyAddresses();
        all.error().ifPresent(e -> errors.add(new RoundError(LISTING_KEY, "listing the proxies: " + e.getMessage())));
        Set<String> failed;
        try {
            failed = new HashSet<>(broker.failedProxies());
        } catch (BrokerCallException e) {
            failed = Set.of();
        }
        List<String> targets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String a : all.items()) {
            if (!failed.contains(a) && seen.add(a)) {
                targets.add(a);
            }
        }
        return new ProxyTargets(targets, errors);
    }
}
