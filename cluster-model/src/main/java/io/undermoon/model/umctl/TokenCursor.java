package io.undermoon.model.umctl;

import java.util.List;

/** A forward-only reader over UMCTL text tokens; running out of tokens is {@code InvalidArgs}. */
final class TokenCursor {
    private final List<String> tokens;
    private int position;

    TokenCursor(List<String> tokens) {
        this.tokens = tokens;
    }

    boolean hasNext() {
        return position < tokens.size();
    }

    /** The next token without consuming it, or null at the end. */
    String peek() {
        return hasNext() ? tokens.get(position) : null;
    }

    /** Consumes the next token; {@code what} names it in the error when there is none. */
    String next(String what) throws UmctlParseException {
        if (!hasNext()) {
            throw UmctlParseException.invalidArgs("missing " + what);
        }
        return tokens.get(position++);
    }

    /** Consumes the next token; only call when {@link #hasNext()}. */
    String take() {
        return tokens.get(position++);
    }

    int remaining() {
        return tokens.size() - position;
    }

    /** Whether the next token is {@code keyword}, compared ASCII case-insensitively. */
    boolean peekIs(String keyword) {
        String next = peek();
        return next != null && UmctlText.equalsIgnoreAsciiCase(next, keyword);
    }

    /**
     * Reads a count of items that take {@code tokensPerItem} tokens each. A count that the
     * remaining tokens cannot satisfy fails here, so no caller ever sizes anything by it.
     */
    int nextCount(String what, int tokensPerItem) throws UmctlParseException {
        String text = next(what);
        long count = UmctlText.parseUnsigned(text);
        if (count < 0) {
            throw UmctlParseException.invalidArgs("invalid " + what + " '" + text + "'");
        }
        if (count > remaining() / tokensPerItem) {
            throw UmctlParseException.invalidArgs(what + " " + count + " exceeds the " + remaining()
                    + " remaining arguments");
        }
        return (int) count;
    }

    /** Reads an epoch: an unsigned decimal no larger than {@link Long#MAX_VALUE}. */
    long nextEpoch(String what) throws UmctlParseException {
        String text = next(what);
        long epoch = UmctlText.parseUnsigned(text);
        if (epoch < 0) {
            throw UmctlParseException.invalidArgs("invalid " + what + " '" + text + "'");
        }
        return epoch;
    }
}
