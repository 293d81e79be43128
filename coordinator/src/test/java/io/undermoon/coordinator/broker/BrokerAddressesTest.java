package io.undermoon.coordinator.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerAddressesTest {

    private static List<String> take(BrokerAddresses.Cursor c, int n) throws BrokerCallException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(c.next());
        }
        return out;
    }

    @Test
    void everyRequestGoesToTheNextAddress() throws BrokerCallException {
        BrokerAddresses a = new BrokerAddresses(List.of("b1:7799", "b2:7799", "b3:7799"));
        assertThat(take(a.cursor(), 7)).containsExactly("b1:7799", "b2:7799", "b3:7799", "b1:7799", "b2:7799", "b3:7799",
                "b1:7799");
    }

    @Test
    void eachCursorKeepsItsOwnPosition() throws BrokerCallException {
        BrokerAddresses a = new BrokerAddresses(List.of("b1:1", "b2:1"));
        BrokerAddresses.Cursor data = a.cursor();
        BrokerAddresses.Cursor manipulation = a.cursor();
        data.next();
        assertThat(manipulation.next()).isEqualTo("b1:1");
        assertThat(data.next()).isEqualTo("b2:1");
    }

    @Test
    void theListIsHotSwappable() throws BrokerCallException {
        BrokerAddresses a = new BrokerAddresses(List.of("b1:1"));
        BrokerAddresses.Cursor c = a.cursor();
        assertThat(c.next()).isEqualTo("b1:1");
        a.set(List.of("x:1", "y:1"));
        assertThat(take(c, 4)).containsOnly("x:1", "y:1").containsSubsequence("x:1", "y:1");
        assertThat(a.get()).containsExactly("x:1", "y:1");
    }

    @Test
    void anEmptyListIsANoBrokerErrorNotACrash() {
        BrokerAddresses a = new BrokerAddresses(List.of());
        assertThatThrownBy(() -> a.cursor().next()).isInstanceOfSatisfying(BrokerCallException.class,
                e -> assertThat(e.kind()).isEqualTo(BrokerCallException.Kind.NO_BROKER)).hasMessageContaining("no broker");
    }

    @Test
    void invalidAddressesAreRefusedAndChangeNothing() {
        BrokerAddresses a = new BrokerAddresses(List.of("b1:1"));
        for (String bad : List.of("", "b1", "b1:", ":1", "b1:x", "b1:70000", "b1:0", "a/b:1", "a b:1", "u@h:1")) {
            assertThat(BrokerAddresses.problem(bad)).as(bad).isNotNull();
            assertThatThrownBy(() -> a.set(List.of("ok:1", bad))).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(a.get()).containsExactly("b1:1");
        assertThat(BrokerAddresses.problem("broker.example.com:7799")).isNull();
        assertThat(BrokerAddresses.problem("[::1]:7799")).isNull();
    }

    @Test
    void theCounterWrapsAround() throws BrokerCallException {
        BrokerAddresses a = new BrokerAddresses(List.of("b1:1", "b2:1", "b3:1"));
        BrokerAddresses.Cursor c = a.cursor();
        for (int i = 0; i < 10_000; i++) {
            c.next();
        }
        assertThat(c.next()).isEqualTo("b2:1"); // 10000 % 3 == 1
    }

    @Test
    void aBrokerMarkedDownIsSkippedWhileAnotherIsUp() throws BrokerCallException {
        BrokerAddresses a = new BrokerAddresses(List.of("b1:7799", "b2:7799", "b3:7799"));
        BrokerAddresses.Cursor c = a.cursor();
        a.markDown("b2:7799");
        assertThat(take(c, 6)).containsExactly("b1:7799", "b3:7799", "b1:7799", "b3:7799", "b1:7799", "b3:7799");
        a.markUp("b2:7799");
        assertThat(take(c, 3)).containsExactlyInAnyOrder("b1:7799", "b2:7799", "b3:7799");
        // all down: the cursor still answers (round-robin) rather than fail without trying
        a.markDown("b1:7799");
        a.markDown("b2:7799");
        a.markDown("b3:7799");
        assertThat(take(c, 3)).containsExactlyInAnyOrder("b1:7799", "b2:7799", "b3:7799");
    }
}
