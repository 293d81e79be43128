package io.undermoon.model;

import io.netty.buffer.ByteBuf;

/**
 * Maps keys to the 16384 Redis Cluster slots: CRC16/XMODEM of the hash tag (the text between the
 * first '{' and the first '}' after it, when non-empty), else of the whole key.
 */
public final class SlotHash {
    public static final int SLOT_NUM = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
    }

    private SlotHash() {}

    /** CRC16/XMODEM (poly 0x1021, init 0, no reflection) of bytes[from, to). */
    public static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }

    /** CRC16/XMODEM of buf[from, to) without moving its indexes. */
    public static int crc16(ByteBuf buf, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ buf.getByte(i)) & 0xff]) & 0xffff;
        }
        return crc;
    }

    public static int slot(byte[] key) {
        int len = key.length;
        int open = -1;
        for (int i = 0; i < len; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int i = open + 1; i < len; i++) {
                if (key[i] == '}') {
                    if (i > open + 1) {
                        return crc16(key, open + 1, i) & (SLOT_NUM - 1);
                    }
                    break;
                }
            }
        }
        return crc16(key, 0, len) & (SLOT_NUM - 1);
    }

    public static int slot(String key) {
        return slot(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Slot of the key stored in buf[index, index+length), read in place. */
    public static int slot(ByteBuf buf, int index, int length) {
        int end = index + length;
        int open = buf.indexOf(index, end, (byte) '{');
        if (open >= 0) {
            int close = buf.indexOf(open + 1, end, (byte) '}');
            if (close > open + 1) {
                return crc16(buf, open + 1, close) & (SLOT_NUM - 1);
            }
        }
        return crc16(buf, index, end) & (SLOT_NUM - 1);
    }
}
