package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosReportTest {

    private static final ChaosReport.Metadata METADATA_OK = new ChaosReport.Metadata(true, 40, 2, 3, 0, 0, List.of(),
            List.of("127.0.0.1:7799"), 600, 57, 0, List.of());

    private static ChaosReport report(long wrong, long lostOther, boolean converged, long convergedMillis, long outageMillis,
            int unrecovered, long sweepFailures) {
        return report(wrong, lostOther, converged, convergedMillis, outageMillis, unrecovered, sweepFailures, METADATA_OK, List.of());
    }

    private static ChaosReport report(long wrong, long lostOther, boolean converged, long convergedMillis, long outageMillis,
            int unrecovered, long sweepFailures, ChaosReport.Metadata metadata, List<ChaosReport.BrokerLoss> brokerLosses) {
        return new ChaosReport(
                new ChaosReport.Setup(1, 9, 3, 3, 200, 20_000, 150, 8000, 2000, 60_000, 120_000, List.of("chaos-main#1"),
                        !brokerLosses.isEmpty(), brokerLosses.isEmpty() ? 1 : 3, 0),
                new ChaosReport.Operations(100, 50, 1, 10, 0, 40, 0, 0, 600, sweepFailures, 1000, 3, Map.of(), 0, 0),
                Map.of(FaultKind.PROXY_RESTART, 2), Map.of(),
                new ChaosReport.Losses(4, lostOther, 2, lostOther > 0 ? 1 : 0, 0, 0, 3, 1, List.of(), List.of()),
                new ChaosReport.Reads(wrong, List.of(), 1, List.of()),
                new ChaosReport.Availability(outageMillis, "x", List.of(), Map.of(), unrecovered, 3),
                new ChaosReport.Convergence(converged, convergedMillis, 30_000, converged ? List.of() : List.of("c: migration running"),
                        true, 3000, 0),
                List.of(), List.of(new FaultEvent(1000, FaultKind.PROXY_RESTART, "p1", 900, "ok")), List.of(), metadata, brokerLosses,
                new ChaosReport.SingleCopy(1, 2, 1500, "chaos-main 127.0.0.1:7001 [0-4095]: 2 windows", 1700,
                        List.of("chaos-main 127.0.0.1:7001 [0-4095]: 2 windows")));
    }

    @Test
    void lostMetadataChangesAndEpochRegressionsMissTheirTargets() {
        ChaosReport.Metadata lost = new ChaosReport.Metadata(true, 40, 0, 0, 0, 1, List.of("b: create cluster x: the store has no cluster x"),
                List.of("b"), 600, 57, 0, List.of());
        assertThat(report(0, 0, true, 2000, 5000, 0, 0, lost, List.of()).targetFailures()).singleElement().asString()
                .contains("1 acknowledged metadata changes lost").contains("create cluster x");
        ChaosReport.Metadata regressed = new ChaosReport.Metadata(true, 40, 0, 0, 0, 0, List.of(), List.of("b"), 600, 57, 1,
                List.of("b answered epoch 3 at 10 ms after 5 at 5 ms"));
        assertThat(report(0, 0, true, 2000, 5000, 0, 0, regressed, List.of()).targetFailures()).singleElement().asString()
                .contains("epoch regressions").contains("after 5");
        ChaosReport.Metadata unread = new ChaosReport.Metadata(false, 40, 0, 0, 0, 0, List.of(), List.of(), 600, 57, 0, List.of());
        assertThat(report(0, 0, true, 2000, 5000, 0, 0, unread, List.of()).targetFailures()).singleElement().asString()
                .contains("could not be read");
    }

    @Test
    void brokerLossFailoversAreReportedWithTheirMedianAndMaximum() {
        List<ChaosReport.BrokerLoss> losses = List.of(
                new ChaosReport.BrokerLoss(1000, FaultKind.BROKER_LOSS_FAILOVER, "b1", "p1", 1200, 1900, "ok"),
                new ChaosReport.BrokerLoss(9000, FaultKind.HOST_FAILURE, "b2", "p2", 2500, 6100, "ok"),
                new ChaosReport.BrokerLoss(20000, FaultKind.BROKER_LOSS_FAILOVER, "b1", "p3", 1500, 2300, "ok"));
        ChaosReport r = report(0, 0, true, 2000, 5000, 0, 0, METADATA_OK, losses);
        // reported against issue 11's 5 s, not one of the run's targets
        assertThat(r.targetsMet()).isTrue();
        String md = ReportText.markdown(r, "./undermoon chaos --etcd");
        assertThat(md).contains("3 failovers; committed median 1500 ms, max 2500 ms; writable median 2300 ms, max 6100 ms; 1 over the target")
                .contains("| acknowledged metadata changes lost | 0 (of 40 acknowledged")
                .contains("| epoch regressions | 0 (600 answers")
                .contains("Store: etcd, 3 members")
                .contains("kill -9 of a host");
        assertThat(ReportText.markdown(report(0, 0, true, 2000, 5000, 0, 0), "x")).doesNotContain("kill -9 of a host")
                .contains("Store: the memory broker");
        assertThat(ReportText.brokerLosses(List.of(new ChaosReport.BrokerLoss(1, FaultKind.BROKER_LOSS_FAILOVER, "b", "p", 900, -1,
                "slots [5] not writable within 60 s")))).contains("1 over the target").contains("not within 60 s");
    }

    @Test
    void lossesInsideTheWindowAndAmbiguousReadsDoNotMissATarget() {
        ChaosReport r = report(0, 0, true, 2000, 5000, 0, 0);
        assertThat(r.targetFailures()).isEmpty();
        assertThat(r.targetsMet()).isTrue();
        assertThat(ReportText.markdown(r, "./undermoon chaos")).contains("every target met").contains("| wrong values read | 0 | 0 |");
        assertThat(ReportText.json(r)).contains("\"writesInWindow\" : 4");
    }

    @Test
    void everyTargetIsChecked() {
        assertThat(report(1, 0, true, 2000, 5000, 0, 0).targetFailures()).singleElement().asString().contains("wrong values");
        assertThat(report(0, 3, true, 2000, 5000, 0, 0).targetFailures()).singleElement().asString().contains("outside a failover");
        assertThat(report(0, 0, false, 120_000, 5000, 0, 0).targetFailures()).singleElement().asString().contains("migration running");
        assertThat(report(0, 0, true, 31_000, 5000, 0, 0).targetFailures()).singleElement().asString().contains("converged after");
        assertThat(report(0, 0, true, 2000, 31_000, 0, 0).targetFailures()).singleElement().asString().contains("unwritable for");
        assertThat(report(0, 0, true, 2000, 5000, 2, 0).targetFailures()).singleElement().asString().contains("still unwritable");
        assertThat(report(0, 0, true, 2000, 5000, 0, 7).targetFailures()).singleElement().asString().contains("final sweep");
        assertThat(ReportText.markdown(report(1, 0, true, 2000, 5000, 0, 0), "x")).contains("TARGETS MISSED");
    }

    @Test
    void anOutageIsAttributedToTheLastFaultBegunShortlyBeforeIt() {
        List<FaultEvent> events = List.of(
                new FaultEvent(1_000, FaultKind.BROKER_RESTART, "broker", 500, "ok"),
                new FaultEvent(5_000, FaultKind.PROXY_RESTART, "p1", 900, "ok"),
                new FaultEvent(5_500, FaultKind.SCALE_OUT, "c", 0, "skipped: no free proxies"),
                new FaultEvent(40_000, FaultKind.REDIS_MASTER_RESTART, "n1", 300, "ok"));
        SlotProber.Outage o = new SlotProber.Outage("c", 0, 4_900, 6_000, SlotProber.End.RECOVERED);
        assertThat(ReportBuilder.cause(o, events).kind()).isEqualTo(FaultKind.PROXY_RESTART);
        assertThat(ReportBuilder.cause(new SlotProber.Outage("c", 0, 30_000, 31_000, SlotProber.End.RECOVERED), events)).isNull();
    }
}
