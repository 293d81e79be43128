package io.undermoon.cli.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.undermoon.model.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A {@code ctl} command: its options, its output streams, and the rule that every failure is one
 * line on stderr with an exit code from {@link ExitCodes}, never a stack trace.
 */
abstract class CtlAction implements Callable<Integer> {
    @Mixin
    CtlOptions options;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The work; returns the exit code. */
    abstract int run(BrokerApi api) throws CtlException;

    @Override
    public final Integer call() {
        try (BrokerApi api = new BrokerApi(options.broker, Duration.ofSeconds(Math.max(1, options.timeoutSeconds)))) {
            int code = run(api);
            out().flush();
            return code;
        } catch (CtlException e) {
            out().flush();
            err().println("undermoon ctl: " + e.getMessage());
            err().flush();
            return e.code();
        } catch (RuntimeException e) {
            out().flush();
            err().println("undermoon ctl: unexpected failure: " + e);
            err().flush();
            return ExitCodes.FAILED;
        }
    }

    void printJson(Object value) {
        try {
            out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
