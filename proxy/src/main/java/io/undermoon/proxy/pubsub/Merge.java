package io.undermoon.proxy.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.reply.ReplyTarget;
import io.undermoon.resp.RespWriter;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One PUBSUB reply out of the replies of several Redis (this proxy's and its peers'): CHANNELS and
 * SHARDCHANNELS are united (each channel once), NUMSUB and SHARDNUMSUB summed per channel in the
 * order asked, NUMPAT summed. The first error is the answer.
 */
final class Merge {
    private final ReplyTarget parent;
    private final String sub;
    private final ByteBufAllocator alloc;
    private final Object[] parts;
    private int missing;

    Merge(ReplyTarget parent, String sub, int n, ByteBufAllocator alloc) {
        this.parent = parent;
        this.sub = sub;
        this.alloc = alloc;
        this.parts = new Object[n];
        this.missing = n;
    }

    ReplyTarget part(int i) {
        return new ReplyTarget() {
            @Override
            public void complete(ByteBuf reply) {
                try {
                    parts[i] = Frames.parse(reply);
                } catch (RuntimeException e) {
                    parts[i] = new Frames.Err("ERR unexpected reply from a backend");
                } finally {
                    reply.release();
                }
                if (--missing == 0) {
                    parent.complete(finish());
                }
            }

            @Override
            public boolean isCancelled() {
                return parent.isCancelled();
            }
        };
    }

    private ByteBuf finish() {
        for (Object p : parts) {
            if (p instanceof Frames.Err e) {
                return Replies.error(alloc, e.message());
            }
        }
        switch (sub) {
            case "NUMPAT" -> {
                long sum = 0;
                for (Object p : parts) {
                    sum += p instanceof Long l ? l : 0;
                }
                return Replies.integer(alloc, sum);
            }
            case "CHANNELS", "SHARDCHANNELS" -> {
                Set<ByteBuffer> all = new LinkedHashSet<>();
                for (Object p : parts) {
                    if (p instanceof List<?> list) {
                        for (Object o : list) {
                            all.add(ByteBuffer.wrap((byte[]) o));
                        }
                    }
                }
                ByteBuf out = RespWriter.arrayHeader(alloc.buffer(), all.size());
                for (ByteBuffer b : all) {
                    RespWriter.bulk(out, b.array());
                }
                return out;
            }
            default -> { // NUMSUB, SHARDNUMSUB
                Map<ByteBuffer, Long> counts = new LinkedHashMap<>();
                for (Object p : parts) {
                    if (p instanceof List<?> list) {
                        for (int i = 0; i + 1 < list.size(); i += 2) {
                            counts.merge(ByteBuffer.wrap((byte[]) list.get(i)), (Long) list.get(i + 1), Long::sum);
                        }
                    }
                }
                ByteBuf out = RespWriter.arrayHeader(alloc.buffer(), counts.size() * 2);
                counts.forEach((k, v) -> RespWriter.integer(RespWriter.bulk(out, k.array()), v));
                return out;
            }
        }
    }
}
