package dev.stepwise.server.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The metric keys of one upload, numbered in order of first appearance. An open-addressing table
 * matches a key on the JSON parser's character buffer, so a key seen before costs no allocation;
 * a new key is validated (1 to {@value PointBatchParser#MAX_KEY_LENGTH} printable characters)
 * before it gets a number.
 */
final class KeyTable {

    private final List<String> keys = new ArrayList<>();
    private int[] table = newTable(64);

    /** The id of the key {@code buf[off, off + len)}, registering a new valid key; -1 for an invalid key. */
    int idOf(char[] buf, int off, int len) {
        int h = 0;
        for (int i = 0; i < len; i++) {
            h = 31 * h + buf[off + i];
        }
        int mask = table.length - 1;
        int slot = (h ^ (h >>> 16)) & mask;
        for (int id; (id = table[slot]) >= 0; slot = (slot + 1) & mask) {
            if (sameChars(keys.get(id), buf, off, len)) {
                return id;
            }
        }
        String key = new String(buf, off, len);
        if (key.isEmpty() || key.length() > PointBatchParser.MAX_KEY_LENGTH || !PointBatchParser.printable(key)) {
            return -1;
        }
        int id = keys.size();
        keys.add(key);
        table[slot] = id;
        if (keys.size() * 2 > table.length) {
            rehash();
        }
        return id;
    }

    /** The registered keys, indexed by id. */
    List<String> keys() {
        return keys;
    }

    private static boolean sameChars(String key, char[] buf, int off, int len) {
        if (key.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (key.charAt(i) != buf[off + i]) {
                return false;
            }
        }
        return true;
    }

    private void rehash() {
        table = newTable(table.length * 2);
        int mask = table.length - 1;
        for (int id = 0; id < keys.size(); id++) {
            // String.hashCode is the same 31-polynomial idOf computes over the buffer.
            int h = keys.get(id).hashCode();
            int slot = (h ^ (h >>> 16)) & mask;
            while (table[slot] >= 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = id;
        }
    }

    private static int[] newTable(int size) {
        int[] table = new int[size];
        Arrays.fill(table, -1);
        return table;
    }
}
