package io.undermoon.proxy.command;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The commands the proxy knows, with Redis 7's key positions. Lookup by the raw name bytes is
 * case-insensitive and allocation-free (open addressing over upper-cased names).
 */
public final class CommandTable {
    // name arity kind first last step [w] [del] [numkeys=I] [streams] [msg=...]
    private static final String TABLE = """
            # connection and server commands the proxy answers itself
            PING -1 LOCAL 0 0 0
            ECHO 2 LOCAL 0 0 0
            QUIT -1 LOCAL 0 0 0
            AUTH -2 LOCAL 0 0 0
            HELLO -1 LOCAL 0 0 0
            SELECT 2 LOCAL 0 0 0
            INFO -1 LOCAL 0 0 0
            CONFIG -2 LOCAL 0 0 0
            CLUSTER -2 LOCAL 0 0 0
            UMCTL -2 LOCAL 0 0 0
            UMSYNC -2 LOCAL 0 0 0
            UMFORWARD -3 LOCAL 0 0 0
            ASKING 1 LOCAL 0 0 0
            READONLY 1 LOCAL 0 0 0
            READWRITE 1 LOCAL 0 0 0
            CLIENT -2 LOCAL 0 0 0
            SLOWLOG -2 LOCAL 0 0 0
            TIME 1 ANY_MASTER 0 0 0
            COMMAND -1 ANY_MASTER 0 0 0
            LASTSAVE 1 ANY_MASTER 0 0 0
            # keyless server commands over the local masters
            DBSIZE 1 FANOUT_SUM 0 0 0
            KEYS 2 FANOUT_CONCAT 0 0 0
            FLUSHALL -1 FANOUT_FIRST 0 0 0 w
            FLUSHDB -1 FANOUT_FIRST 0 0 0 w
            SCRIPT -2 FANOUT_FIRST 0 0 0
            FUNCTION -2 FANOUT_FIRST 0 0 0 w
            SCAN -2 ANY_MASTER 0 0 0
            RANDOMKEY 1 ANY_MASTER 0 0 0
            # strings
            APPEND 3 KEYED 1 1 1 w
            DECR 2 KEYED 1 1 1 w
            DECRBY 3 KEYED 1 1 1 w
            GET 2 KEYED 1 1 1
            GETDEL 2 KEYED 1 1 1 w del
            GETEX -2 KEYED 1 1 1 w
            GETRANGE 4 KEYED 1 1 1
            GETSET 3 KEYED 1 1 1 w
            INCR 2 KEYED 1 1 1 w
            INCRBY 3 KEYED 1 1 1 w
            INCRBYFLOAT 3 KEYED 1 1 1 w
            LCS -3 KEYED 1 2 1
            MGET -2 KEYED 1 -1 1
            MSET -3 KEYED 1 -1 2 w
            MSETNX -3 KEYED 1 -1 2 w
            PSETEX 4 KEYED 1 1 1 w
            SET -3 KEYED 1 1 1 w
            SETEX 4 KEYED 1 1 1 w
            SETNX 3 KEYED 1 1 1 w
            SETRANGE 4 KEYED 1 1 1 w
            STRLEN 2 KEYED 1 1 1
            SUBSTR 4 KEYED 1 1 1
            # generic keys
            COPY -3 KEYED 1 2 1 w
            DEL -2 KEYED 1 -1 1 w del
            DUMP 2 KEYED 1 1 1
            EXISTS -2 KEYED 1 -1 1
            EXPIRE -3 KEYED 1 1 1 w del
            EXPIREAT -3 KEYED 1 1 1 w del
            EXPIRETIME 2 KEYED 1 1 1
            OBJECT -3 KEYED 2 2 1
            PERSIST 2 KEYED 1 1 1 w
            PEXPIRE -3 KEYED 1 1 1 w del
            PEXPIREAT -3 KEYED 1 1 1 w del
            PEXPIRETIME 2 KEYED 1 1 1
            PTTL 2 KEYED 1 1 1
            RENAME 3 KEYED 1 2 1 w del
            RENAMENX 3 KEYED 1 2 1 w del
            RESTORE -4 KEYED 1 1 1 w
            SORT -2 KEYED 1 1 1 w
            SORT_RO -2 KEYED 1 1 1
            TOUCH -2 KEYED 1 -1 1
            TTL 2 KEYED 1 1 1
            TYPE 2 KEYED 1 1 1
            UNLINK -2 KEYED 1 -1 1 w del
            MEMORY -3 KEYED 2 2 1
            # hashes
            HDEL -3 KEYED 1 1 1 w del
            HEXISTS 3 KEYED 1 1 1
            HGET 3 KEYED 1 1 1
            HGETALL 2 KEYED 1 1 1
            HINCRBY 4 KEYED 1 1 1 w
            HINCRBYFLOAT 4 KEYED 1 1 1 w
            HKEYS 2 KEYED 1 1 1
            HLEN 2 KEYED 1 1 1
            HMGET -3 KEYED 1 1 1
            HMSET -4 KEYED 1 1 1 w
            HRANDFIELD -2 KEYED 1 1 1
            HSCAN -3 KEYED 1 1 1
            HSET -4 KEYED 1 1 1 w
            HSETNX 4 KEYED 1 1 1 w
            HSTRLEN 3 KEYED 1 1 1
            HVALS 2 KEYED 1 1 1
            # lists
            BLMOVE 6 BLOCKING 1 2 1 w del
            BLMPOP -5 BLOCKING 0 0 0 w del numkeys=2
            BLPOP -3 BLOCKING 1 -2 1 w del
            BRPOP -3 BLOCKING 1 -2 1 w del
            BRPOPLPUSH 4 BLOCKING 1 2 1 w del
            LINDEX 3 KEYED 1 1 1
            LINSERT 5 KEYED 1 1 1 w
            LLEN 2 KEYED 1 1 1
            LMOVE 5 KEYED 1 2 1 w del
            LMPOP -4 KEYED 0 0 0 w del numkeys=1
            LPOP -2 KEYED 1 1 1 w del
            LPOS -3 KEYED 1 1 1
            LPUSH -3 KEYED 1 1 1 w
            LPUSHX -3 KEYED 1 1 1 w
            LRANGE 4 KEYED 1 1 1
            LREM 4 KEYED 1 1 1 w del
            LSET 4 KEYED 1 1 1 w
            LTRIM 4 KEYED 1 1 1 w del
            RPOP -2 KEYED 1 1 1 w del
            RPOPLPUSH 3 KEYED 1 2 1 w del
            RPUSH -3 KEYED 1 1 1 w
            RPUSHX -3 KEYED 1 1 1 w
            # sets
            SADD -3 KEYED 1 1 1 w
            SCARD 2 KEYED 1 1 1
            SDIFF -2 KEYED 1 -1 1
            SDIFFSTORE -3 KEYED 1 -1 1 w
            SINTER -2 KEYED 1 -1 1
            SINTERCARD -3 KEYED 0 0 0 numkeys=1
            SINTERSTORE -3 KEYED 1 -1 1 w
            SISMEMBER 3 KEYED 1 1 1
            SMEMBERS 2 KEYED 1 1 1
            SMISMEMBER -3 KEYED 1 1 1
            SMOVE 4 KEYED 1 2 1 w del
            SPOP -2 KEYED 1 1 1 w del
            SRANDMEMBER -2 KEYED 1 1 1
            SREM -3 KEYED 1 1 1 w del
            SSCAN -3 KEYED 1 1 1
            SUNION -2 KEYED 1 -1 1
            SUNIONSTORE -3 KEYED 1 -1 1 w
            # sorted sets
            BZMPOP -5 BLOCKING 0 0 0 w del numkeys=2
            BZPOPMAX -3 BLOCKING 1 -2 1 w del
            BZPOPMIN -3 BLOCKING 1 -2 1 w del
            ZADD -4 KEYED 1 1 1 w
            ZCARD 2 KEYED 1 1 1
            ZCOUNT 4 KEYED 1 1 1
            ZDIFF -3 KEYED 0 0 0 numkeys=1
            ZDIFFSTORE -4 KEYED 1 1 1 w numkeys=2
            ZINCRBY 4 KEYED 1 1 1 w
            ZINTER -3 KEYED 0 0 0 numkeys=1
            ZINTERCARD -3 KEYED 0 0 0 numkeys=1
            ZINTERSTORE -4 KEYED 1 1 1 w numkeys=2
            ZLEXCOUNT 4 KEYED 1 1 1
            ZMPOP -4 KEYED 0 0 0 w del numkeys=1
            ZMSCORE -3 KEYED 1 1 1
            ZPOPMAX -2 KEYED 1 1 1 w del
            ZPOPMIN -2 KEYED 1 1 1 w del
            ZRANDMEMBER -2 KEYED 1 1 1
            ZRANGE -4 KEYED 1 1 1
            ZRANGEBYLEX -4 KEYED 1 1 1
            ZRANGEBYSCORE -4 KEYED 1 1 1
            ZRANGESTORE -5 KEYED 1 2 1 w
            ZRANK -3 KEYED 1 1 1
            ZREM -3 KEYED 1 1 1 w del
            ZREMRANGEBYLEX 4 KEYED 1 1 1 w del
            ZREMRANGEBYRANK 4 KEYED 1 1 1 w del
            ZREMRANGEBYSCORE 4 KEYED 1 1 1 w del
            ZREVRANGE -4 KEYED 1 1 1
            ZREVRANGEBYLEX -4 KEYED 1 1 1
            ZREVRANGEBYSCORE -4 KEYED 1 1 1
            ZREVRANK -3 KEYED 1 1 1
            ZSCAN -3 KEYED 1 1 1
            ZSCORE 3 KEYED 1 1 1
            ZUNION -3 KEYED 0 0 0 numkeys=1
            ZUNIONSTORE -4 KEYED 1 1 1 w numkeys=2
            # hyperloglog, geo, bitmaps
            PFADD -2 KEYED 1 1 1 w
            PFCOUNT -2 KEYED 1 -1 1
            PFMERGE -2 KEYED 1 -1 1 w
            GEOADD -5 KEYED 1 1 1 w
            GEODIST -4 KEYED 1 1 1
            GEOHASH -2 KEYED 1 1 1
            GEOPOS -2 KEYED 1 1 1
            GEORADIUS -6 KEYED 1 1 1 w
            GEORADIUS_RO -6 KEYED 1 1 1
            GEORADIUSBYMEMBER -5 KEYED 1 1 1 w
            GEORADIUSBYMEMBER_RO -5 KEYED 1 1 1
            GEOSEARCH -7 KEYED 1 1 1
            GEOSEARCHSTORE -8 KEYED 1 2 1 w
            BITCOUNT -2 KEYED 1 1 1
            BITFIELD -2 KEYED 1 1 1 w
            BITFIELD_RO -2 KEYED 1 1 1
            BITOP -4 KEYED 2 -1 1 w
            BITPOS -3 KEYED 1 1 1
            GETBIT 3 KEYED 1 1 1
            SETBIT 4 KEYED 1 1 1 w
            # streams
            XACK -4 KEYED 1 1 1 w
            XADD -5 KEYED 1 1 1 w
            XAUTOCLAIM -6 KEYED 1 1 1 w
            XCLAIM -6 KEYED 1 1 1 w
            XDEL -3 KEYED 1 1 1 w
            XGROUP -4 KEYED 2 2 1 w
            XINFO -3 KEYED 2 2 1
            XLEN 2 KEYED 1 1 1
            XPENDING -3 KEYED 1 1 1
            XRANGE -4 KEYED 1 1 1
            XREAD -4 KEYED 0 0 0 streams
            XREADGROUP -7 KEYED 0 0 0 w streams
            XREVRANGE -4 KEYED 1 1 1
            XSETID -3 KEYED 1 1 1 w
            XTRIM -4 KEYED 1 1 1 w
            # scripting: EVAL with keys goes to their slot; without keys to one local master
            EVAL -3 KEYED 0 0 0 w del numkeys=2
            EVALSHA -3 KEYED 0 0 0 w del numkeys=2
            EVAL_RO -3 KEYED 0 0 0 numkeys=2
            EVALSHA_RO -3 KEYED 0 0 0 numkeys=2
            FCALL -3 KEYED 0 0 0 w del numkeys=2
            FCALL_RO -3 KEYED 0 0 0 numkeys=2
            # transactions (transaction.Transactions) and pub/sub (pubsub.PubSub)
            MULTI 1 TRANSACTION 0 0 0
            EXEC 1 TRANSACTION 0 0 0
            DISCARD 1 TRANSACTION 0 0 0
            WATCH -2 TRANSACTION 1 -1 1
            UNWATCH 1 TRANSACTION 0 0 0
            UMPEER 1 TRANSACTION 0 0 0
            SUBSCRIBE -2 PUBSUB 0 0 0
            PSUBSCRIBE -2 PUBSUB 0 0 0
            SSUBSCRIBE -2 PUBSUB 1 -1 1
            UNSUBSCRIBE -1 PUBSUB 0 0 0
            PUNSUBSCRIBE -1 PUBSUB 0 0 0
            SUNSUBSCRIBE -1 PUBSUB 1 -1 1
            PUBLISH 3 PUBSUB 0 0 0
            PUBSUB -2 PUBSUB 0 0 0
            SPUBLISH 3 KEYED 1 1 1
            UMPUBSUB -3 LOCAL 0 0 0
            # refused: they need a connection of their own or act on the whole server
            MONITOR 1 UNSUPPORTED 0 0 0 msg=ERR MONITOR is not supported by the undermoon proxy
            WAIT 3 UNSUPPORTED 0 0 0 msg=ERR WAIT is not supported by the undermoon proxy (replication is managed by undermoon)
            MOVE 3 UNSUPPORTED 0 0 0 msg=ERR MOVE is not allowed in cluster mode
            SWAPDB 3 UNSUPPORTED 0 0 0 msg=ERR SWAPDB is not allowed in cluster mode
            MIGRATE -6 UNSUPPORTED 0 0 0 msg=ERR MIGRATE is not supported by the undermoon proxy (slot migration is managed by undermoon)
            REPLICAOF 3 UNSUPPORTED 0 0 0 msg=ERR REPLICAOF is not supported by the undermoon proxy (replication is managed by undermoon)
            SLAVEOF 3 UNSUPPORTED 0 0 0 msg=ERR SLAVEOF is not supported by the undermoon proxy (replication is managed by undermoon)
            SYNC 1 UNSUPPORTED 0 0 0 msg=ERR SYNC is not supported by the undermoon proxy
            PSYNC -3 UNSUPPORTED 0 0 0 msg=ERR PSYNC is not supported by the undermoon proxy
            SHUTDOWN -1 UNSUPPORTED 0 0 0 msg=ERR SHUTDOWN is not supported by the undermoon proxy (use UMCTL SHUTDOWN to stop the proxy)
            DEBUG -2 UNSUPPORTED 0 0 0 msg=ERR DEBUG is not supported by the undermoon proxy
            SAVE 1 UNSUPPORTED 0 0 0 msg=ERR SAVE is not supported by the undermoon proxy
            BGSAVE -1 UNSUPPORTED 0 0 0 msg=ERR BGSAVE is not supported by the undermoon proxy
            BGREWRITEAOF 1 UNSUPPORTED 0 0 0 msg=ERR BGREWRITEAOF is not supported by the undermoon proxy
            ACL -2 UNSUPPORTED 0 0 0 msg=ERR ACL is not supported by the undermoon proxy
            RESET 1 UNSUPPORTED 0 0 0 msg=ERR RESET is not supported by the undermoon proxy
            """;

    private static final int BUCKETS = 1024;
    private static final CommandTable INSTANCE = new CommandTable();

    private final CommandSpec[] slots = new CommandSpec[BUCKETS];
    private final byte[][] names = new byte[BUCKETS][];
    private final List<CommandSpec> all = new ArrayList<>();

    private CommandTable() {
        for (String line : TABLE.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            add(parseLine(line));
        }
    }

    public static CommandTable get() {
        return INSTANCE;
    }

    private static CommandSpec parseLine(String line) {
        String msg = null;
        int m = line.indexOf(" msg=");
        if (m >= 0) {
            msg = line.substring(m + 5);
            line = line.substring(0, m);
        }
        String[] f = line.split(" +");
        boolean write = false;
        boolean del = false;
        boolean streams = false;
        int numkeys = 0;
        for (int i = 6; i < f.length; i++) {
            switch (f[i]) {
                case "w" -> write = true;
                case "del" -> del = true;
                case "streams" -> streams = true;
                default -> {
                    if (f[i].startsWith("numkeys=")) {
                        numkeys = Integer.parseInt(f[i].substring(8));
                    } else {
                        throw new IllegalStateException("bad command table option " + f[i]);
                    }
                }
            }
        }
        return new CommandSpec(f[0], Integer.parseInt(f[1]), CommandKind.valueOf(f[2]), Integer.parseInt(f[3]),
                Integer.parseInt(f[4]), Integer.parseInt(f[5]), numkeys, streams, write, del, msg);
    }

    private void add(CommandSpec spec) {
        byte[] name = spec.nameBytes();
        int h = hash(name, name.length) & (BUCKETS - 1);
        while (slots[h] != null) {
            if (java.util.Arrays.equals(names[h], name)) {
                throw new IllegalStateException("duplicate command " + spec.name());
            }
            h = (h + 1) & (BUCKETS - 1);
        }
        slots[h] = spec;
        names[h] = name;
        all.add(spec);
    }

    private static int hash(byte[] upper, int len) {
        int h = 0;
        for (int i = 0; i < len; i++) {
            h = 31 * h + upper[i];
        }
        return h ^ (h >>> 16);
    }

    /** Looks up the name stored in buf[offset, offset+length), ignoring ASCII case. */
    public CommandSpec lookup(ByteBuf buf, int offset, int length) {
        if (length == 0 || length > 32) {
            return null;
        }
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + upper(buf.getByte(offset + i));
        }
        h = (h ^ (h >>> 16)) & (BUCKETS - 1);
        while (slots[h] != null) {
            byte[] name = names[h];
            if (name.length == length && equalsUpper(buf, offset, name)) {
                return slots[h];
            }
            h = (h + 1) & (BUCKETS - 1);
        }
        return null;
    }

    public CommandSpec lookup(String name) {
        byte[] b = name.toUpperCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(b);
        return lookup(buf, 0, b.length);
    }

    private static boolean equalsUpper(ByteBuf buf, int offset, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (upper(buf.getByte(offset + i)) != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte upper(byte b) {
        return b >= 'a' && b <= 'z' ? (byte) (b - 32) : b;
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableList(all);
    }
}
