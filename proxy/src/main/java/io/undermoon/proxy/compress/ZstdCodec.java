package io.undermoon.proxy.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;

/**
 * zstd level 1 for stored values, one codec per event-loop thread: the zstd contexts are not
 * thread-safe and are reused, so a value costs no native allocation. Frames are standard (magic
 * {@code 28 B5 2F FD}, content size in the header, no checksum), as the reference writes them;
 * frames without a content size (the reference's streaming encoder) decode as well.
 *
 * <p>The rule for reading: a value is taken for compressed only when it starts with the magic and
 * decodes completely (one or more whole frames, nothing else); anything else is returned as
 * stored. The rule for writing keeps that unambiguous: a value that starts with the magic is
 * always compressed, so it reads back as itself.
 */
public final class ZstdCodec {
    public static final int LEVEL = 1;
    /** 28 B5 2F FD read as a little-endian int. */
    static final int MAGIC = 0xFD2FB528;
    /**
     * A frame of n bytes of content has at least 4 (magic) + 2 (header) + 3 (block header) + 1
     * bytes, so no value this short or shorter can shrink.
     */
    static final int NEVER_SHRINKS = 10;

    private static final FastThreadLocal<ZstdCodec> LOCAL = new FastThreadLocal<>() {
        @Override
        protected ZstdCodec initialValue() {
            return new ZstdCodec();
        }

        @Override
        protected void onRemoval(ZstdCodec codec) {
            codec.close(); // the event loop ends: free the native contexts
        }
    };

    private final ZstdCompressCtx cctx;
    private final ZstdDecompressCtx dctx;

    ZstdCodec() {
        cctx = new ZstdCompressCtx().setLevel(LEVEL).setChecksum(false).setContentSize(true);
        dctx = new ZstdDecompressCtx();
    }

    private void close() {
        cctx.close();
        dctx.close();
    }

    /** This thread's codec (created on first use). */
    public static ZstdCodec get() {
        return LOCAL.get();
    }

    /** True when the {@code len} bytes at {@code off} start with the zstd frame magic number. */
    public static boolean hasMagic(ByteBuf b, int off, int len) {
        return len >= 4 && b.getIntLE(off) == MAGIC;
    }

    /** Thrown when a value decompresses to more bytes than allowed. */
    public static final class TooLargeException extends Exception {
        TooLargeException(long limit) {
            super("the value decompresses to more than " + limit + " bytes", null, false, false);
        }
    }

    /**
     * The zstd frame of a value, or null when the value is better stored as it is: its frame would
     * not be shorter, and it does not start with the magic (so it cannot be taken for a frame).
     *
     * @throws ZstdException when zstd fails
     */
    public ByteBuf compress(ByteBuf src, int off, int len, ByteBufAllocator alloc) {
        boolean magic = hasMagic(src, off, len);
        if (len <= NEVER_SHRINKS && !magic) {
            return null;
        }
        int bound = (int) Math.min(Integer.MAX_VALUE - 64, Zstd.compressBound(len));
        ByteBuf copy = directCopyIfNeeded(src, off, len, alloc);
        ByteBuf dst = null;
        try {
            dst = alloc.directBuffer(bound);
            ByteBuffer in = copy == null ? src.nioBuffer(off, len) : copy.nioBuffer(0, len);
            int n = cctx.compressDirectByteBuffer(dst.nioBuffer(0, bound), 0, bound, in, 0, len);
            if (n >= len && !magic) {
                dst.release();
                return null;
            }
            dst.writerIndex(n);
            return dst;
        } catch (RuntimeException | Error e) {
            if (dst != null) {
                dst.release();
            }
            throw e;
        } finally {
            if (copy != null) {
                copy.release();
            }
        }
    }

    /**
     * The value a stored value stands for: its decompressed bytes when it is zstd frames that
     * decode completely, else null (the value is to be returned as stored: not a frame, a truncated
     * or corrupted one, or a frame followed by other bytes).
     *
     * @throws TooLargeException when the content exceeds {@code maxLen} bytes
     */
    public ByteBuf decompress(ByteBuf src, int off, int len, ByteBufAllocator alloc, long maxLen) throws TooLargeException {
        if (!hasMagic(src, off, len)) {
            return null;
        }
        ByteBuf copy = directCopyIfNeeded(src, off, len, alloc);
        ByteBuf dst = null;
        try {
            ByteBuffer in = copy == null ? src.nioBuffer(off, len) : copy.nioBuffer(0, len);
            long declared = Zstd.getDirectByteBufferFrameContentSize(in, 0, len);
            if (declared > maxLen) {
                throw new TooLargeException(maxLen);
            }
            if (declared >= 0) {
                // the usual case, one frame that says its size: one call, into a buffer of that size
                dst = alloc.directBuffer((int) Math.max(declared, 1));
                try {
                    int n = dctx.decompressDirectByteBuffer(dst.nioBuffer(0, dst.capacity()), 0, (int) declared, in, 0, len);
                    if (n == declared) {
                        dst.writerIndex(n);
                        ByteBuf result = dst;
                        dst = null;
                        return result;
                    }
                } catch (ZstdException e) {
                    // more than one frame, or not a frame: the streaming decoder below tells
                }
                dst.release();
                dst = null;
            }
            int cap = (int) Math.min(maxLen, declared >= 0 ? Math.max(declared, 16) : Math.max(64L, 4L * len));
            dst = alloc.directBuffer(cap);
            ByteBuffer out = dst.nioBuffer(0, cap);
            dctx.reset();
            while (true) {
                int inBefore = in.position();
                int outBefore = out.position();
                boolean frameDone = dctx.decompressDirectByteBufferStream(out, in);
                if (frameDone && !in.hasRemaining()) {
                    dst.writerIndex(out.position());
                    ByteBuf result = dst;
                    dst = null;
                    return result;
                }
                if (!out.hasRemaining()) {
                    if (cap >= maxLen) {
                        throw new TooLargeException(maxLen);
                    }
                    int grown = (int) Math.min(maxLen, 2L * cap);
                    ByteBuf bigger = alloc.directBuffer(grown);
                    bigger.writeBytes(dst, 0, out.position());
                    ByteBuffer next = bigger.nioBuffer(0, grown);
                    next.position(out.position());
                    dst.release();
                    dst = bigger;
                    out = next;
                    cap = grown;
                } else if (!in.hasRemaining() || (in.position() == inBefore && out.position() == outBefore)) {
                    return null; // truncated frame, or no progress: not a whole frame
                }
            }
        } catch (ZstdException e) {
            return null; // not zstd frames after all: the value as stored
        } finally {
            if (dst != null) {
                dst.release();
            }
            if (copy != null) {
                copy.release();
            }
        }
    }

    /**
     * zstd-jni reads direct memory only: null when the bytes already sit in one direct buffer (use
     * {@code src.nioBuffer(off, len)}), else a direct copy of them that the caller releases.
     */
    private static ByteBuf directCopyIfNeeded(ByteBuf src, int off, int len, ByteBufAllocator alloc) {
        if (src.isDirect() && src.nioBufferCount() == 1) {
            return null;
        }
        return alloc.directBuffer(len).writeBytes(src, off, len);
    }
}
