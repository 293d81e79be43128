package io.undermoon.resp.client;

/**
 * Upper bounds on what a reply may contain, so that a broken or hostile peer cannot make the
 * client allocate without limit.
 *
 * @param maxBulkLength   largest bulk string, bytes
 * @param maxArrayLength  most elements of one array
 * @param maxDepth        deepest array nesting
 * @param maxLineLength   longest simple string, error or number line, bytes
 */
public record ReplyLimits(int maxBulkLength, int maxArrayLength, int maxDepth, int maxLineLength) {

    /** 64 MiB bulk strings, 1M elements per array, nesting 16, 64 KiB lines. */
    public static final ReplyLimits DEFAULT = new ReplyLimits(64 << 20, 1 << 20, 16, 64 << 10);

    public ReplyLimits {
        if (maxBulkLength < 0 || maxArrayLength < 0 || maxDepth < 1 || maxLineLength < 16) {
            throw new IllegalArgumentException("invalid reply limits");
        }
    }
}
