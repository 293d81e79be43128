package io.undermoon.model.umctl;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Token-level text rules shared by the UMCTL parsers: strict UTF-8, unsigned decimal numbers
 * written with ASCII digits only, and ASCII case-insensitive keywords.
 */
public final class UmctlText {

    private UmctlText() {}

    /** The token as text, or empty when it is not well-formed UTF-8. */
    public static Optional<String> utf8(byte[] token) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(token));
            return Optional.of(chars.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The tokens as text, silently dropping any that is not UTF-8 (SETCLUSTER, SETREPL). */
    public static List<String> utf8SkippingInvalid(List<byte[]> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (byte[] token : tokens) {
            utf8(token).ifPresent(out::add);
        }
        return out;
    }

    /** The tokens as text; a token that is not UTF-8 fails the whole list (switch commands). */
    public static List<String> utf8Strict(List<byte[]> tokens) throws UmctlParseException {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            Optional<String> text = utf8(tokens.get(i));
            if (text.isEmpty()) {
                throw UmctlParseException.invalidArgs("argument " + i + " is not UTF-8");
            }
            out.add(text.get());
        }
        return out;
    }

    /**
     * An unsigned decimal: an optional {@code +} then one or more ASCII digits (leading zeros
     * allowed), as the reference's {@code u64}/{@code usize} parsing accepts. Returns -1 when the
     * text is not such a number or exceeds {@link Long#MAX_VALUE}.
     */
    public static long parseUnsigned(String text) {
        int i = 0;
        int n = text.length();
        if (n > 0 && text.charAt(0) == '+') {
            i = 1;
        }
        if (i == n) {
            return -1;
        }
        long value = 0;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** Keyword comparison that folds ASCII letters only. */
    public static boolean equalsIgnoreAsciiCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (lowerAscii(a.charAt(i)) != lowerAscii(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
