package io.undermoon.cli.ctl;

/** The exit codes of {@code undermoon ctl} (docs/ctl.md). */
final class ExitCodes {
    /** Done. */
    static final int OK = 0;
    /** The broker refused the request (4xx/5xx, its error code is printed), or what was asked is not so. */
    static final int FAILED = 1;
    /** Bad arguments (picocli's own code for usage errors). */
    static final int USAGE = 2;
    /** The broker could not be reached: a wrong address, nothing listening, or no answer within --timeout. */
    static final int UNREACHABLE = 3;
    /** {@code --wait} gave up after {@code --wait-timeout}; the operation goes on in the background. */
    static final int WAIT_TIMEOUT = 4;
    /** Ctrl-C while watching; the operation goes on in the background (128 + SIGINT). */
    static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
