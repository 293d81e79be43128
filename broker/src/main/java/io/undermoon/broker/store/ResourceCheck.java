package io.undermoon.broker.store;

import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.ProxyResource;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Which single-host failures the free proxies could not absorb (spec §4.20): for each host, on a
 * throw-away copy of the store, fail over every proxy of the host in turn; a host "cannot fail" if
 * any of those failovers finds no replacement. Always empty in ordered mode.
 */
public final class ResourceCheck {
    private ResourceCheck() {}

    /** The hosts that cannot fail, sorted; any error other than NO_AVAILABLE_RESOURCE aborts. */
    public static List<String> hostsCannotFail(MetaStore store) throws BrokerException {
        if (store.enableOrderedProxy()) {
            return List.of();
        }
        TreeMap<String, List<String>> hostProxies = new TreeMap<>();
        for (ProxyResource p : store.allProxies().values()) {
            hostProxies.computeIfAbsent(p.host(), h -> new ArrayList<>()).add(p.proxyAddress());
        }
        List<String> cannotFail = new ArrayList<>();
        for (var e : hostProxies.entrySet()) {
            StoreDraft copy = StoreDraft.of(store);
            for (String proxy : e.getValue()) {
                // a question of free proxies only: the replicas' sync state does not matter here
                Outcome<String> o = Failover.replaceFailedProxy(copy, proxy, true);
                if (o instanceof Outcome.FailedAfterChange<String> f && f.error() == BrokerError.NO_AVAILABLE_RESOURCE) {
                    cannotFail.add(e.getKey());
                    break;
                }
            }
        }
        return cannotFail;
    }
}
