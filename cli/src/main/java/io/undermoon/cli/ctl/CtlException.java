package io.undermoon.cli.ctl;

/** A failure to report in one line, with the exit code that tells its kind. */
final class CtlException extends Exception {
    private final int code;

    CtlException(int code, String message) {
        super(message);
        this.code = code;
    }

    int code() {
        return code;
    }
}
