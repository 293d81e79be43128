package io.undermoon.model;

/** The Redis CRC-64 (Jones polynomial, reflected 0x95ac9329ac4bc9b5, init 0, no final xor). */
public final class Crc64 {
    private static final long[] TABLE = new long[256];

    static {
        final long poly = 0x95ac9329ac4bc9b5L;
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc64() {}

    public static long of(byte[] bytes) {
        long crc = 0;
        for (byte b : bytes) {
            crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }
}
