package io.undermoon.model.umctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of {@code UMCTL PRECHECK|PRESWITCH|FINALSWITCH}, sent by the migrating proxy to
 * the importing proxy:
 * <pre>
 *   &lt;version&gt; &lt;cluster_name&gt; MIGRATING &lt;count&gt; &lt;a-b&gt;... &lt;epoch&gt; &lt;src_proxy&gt; &lt;src_node&gt; &lt;dst_proxy&gt; &lt;dst_node&gt; [ignored...]
 * </pre>
 * Every token must be UTF-8; tokens after the task are ignored. Any version parses;
 * {@link #isCompatibleVersion()} tells the proxy whether to answer
 * {@code -switch failed: IncompatibleVersion}. A stable range fails with {@code StableRange}
 * (the proxy answers {@code -Invalid Arg}); any other failure is
 * {@code -failed to parse migration switch arguments}.
 */
public record SwitchArgs(String version, MigrationTask task) {

    /** The migration protocol version this implementation speaks. */
    public static final String VERSION = "mgr-0.2";

    public SwitchArgs {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(task, "task");
    }

    /** Arguments for a task, in the current protocol version. */
    public static SwitchArgs of(MigrationTask task) {
        return new SwitchArgs(VERSION, task);
    }

    public boolean isCompatibleVersion() {
        return VERSION.equals(version);
    }

    /** Parses the arguments after {@code UMCTL <switch sub-command>}. */
    public static SwitchArgs parse(List<byte[]> tokens) throws UmctlParseException {
        return parseStrings(UmctlText.utf8Strict(tokens));
    }

    public static SwitchArgs parseStrings(List<String> tokens) throws UmctlParseException {
        TokenCursor in = new TokenCursor(tokens);
        String version = in.next("version");
        return new SwitchArgs(version, MigrationTask.parse(in));
    }

    /** {@code <version> <task tokens>}. */
    public List<String> toTokens() {
        List<String> out = new ArrayList<>();
        out.add(version);
        out.addAll(task.toTokens());
        return out;
    }
}
