package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosReportTest {

    private static ChaosReport report(long wrong, long lostOther, boolean converged, long convergedMillis, long outageMillis,
            int unrecovered, long sweepFailures) {
        return new ChaosReport(
                new ChaosReport.Setup(1, 9, 3, 3, 200, 20_000, 150, 8000, 2000, 60_000, 120_000, List.of("chaos-main#1")),
                new ChaosReport.Operations(100, 50, 1, 10, 0, 40, 0, 0, 600, sweepFailures, 1000, 3, Map.of(), 0, 0),
                Map.of(FaultKind.PROXY_RESTART, 2), Map.of(),
                new ChaosReport.Losses(4, lostOther, 2, lostOther > 0 ? 1 : 0, 0, 0, 3, 1, List.of(), List.of()),
                new ChaosReport.Reads(wrong, List.of(), 1, List.of()),
                new ChaosReport.Availability(outageMillis, "x", List.of(), Map.of(), unrecovered, 3),
                new ChaosReport.Convergence(converged, convergedMillis, 30_000, converged ? List.of() : List.of("c: migration running"),
                        true, 3000, 0),
                List.of(), List.of(new FaultEvent(1000, FaultKind.PROXY_RESTART, "p1", 900, "ok")), List.of());
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
