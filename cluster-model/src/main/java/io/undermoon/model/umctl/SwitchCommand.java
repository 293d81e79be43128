package io.undermoon.model.umctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The three migration switch sub-commands, in the order the migrating proxy sends them. Each
 * moves the importing task to a state: PRECHECK to PRE_CHECK, PRESWITCH to PRE_SWITCH,
 * FINALSWITCH to SWITCH_COMMITTED.
 */
public enum SwitchCommand {
    PRECHECK,
    PRESWITCH,
    FINALSWITCH;

    /** The sub-command word, ASCII case-insensitive. */
    public static Optional<SwitchCommand> fromWord(String word) {
        for (SwitchCommand c : values()) {
            if (UmctlText.equalsIgnoreAsciiCase(c.name(), word)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The whole command: {@code UMCTL <SUB> <version> <task tokens>}. */
    public List<String> toCommand(SwitchArgs args) {
        List<String> out = new ArrayList<>();
        out.add("UMCTL");
        out.add(name());
        out.addAll(args.toTokens());
        return out;
    }
}
