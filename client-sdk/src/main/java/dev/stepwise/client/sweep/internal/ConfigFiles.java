package dev.stepwise.client.sweep.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads and writes {@code cfg.yaml} files (SnakeYAML Engine, YAML 1.2 core schema: {@code ~}, {@code null}, {@code True}, {@code .inf} as in most YAML tools) and writes files
 * atomically. Not API: may change without notice. Thread-safe.
 */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    /**
     * Reads a YAML file whose top level is a mapping; an empty file is an empty mapping.
     *
     * @param file the file
     * @return the mapping, keys in file order
     * @throws IOException when the file cannot be read or is not a YAML mapping
     */
    public static Map<String, Object> readMap(Path file) throws IOException {
        Object doc;
        try (InputStream in = Files.newInputStream(file)) {
            doc = new Load(LoadSettings.builder().setLabel(file.toString()).setSchema(new CoreSchema()).build()).loadFromInputStream(in);
        } catch (YamlEngineException e) {
            throw new IOException("not valid YAML: " + e.getMessage(), e);
        }
        if (doc == null) {
            return new LinkedHashMap<>();
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new IOException("the top level is not a mapping of keys to values");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    /**
     * Renders a value as block-style YAML.
     *
     * @param value maps, lists, strings, numbers, booleans, null
     * @return the YAML text
     */
    public static String toYaml(Object value) {
        return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setSchema(new CoreSchema()).build()).dumpToString(value);
    }

    /**
     * Renders a value as one line of flow-style YAML (a canonical text for comparisons).
     *
     * @param value the value
     * @return the text
     */
    public static String toFlowYaml(Object value) {
        return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.FLOW).setSchema(new CoreSchema())
                .setWidth(Integer.MAX_VALUE).build())
                .dumpToString(value).trim();
    }

    /**
     * Writes text to {@code target} atomically (temp file in the same directory, fsync, rename), unless
     * the file already holds exactly this text.
     *
     * @param target the file
     * @param text the content
     * @return true when the file was written
     * @throws IOException on failure (the target is then unchanged)
     */
    public static boolean writeIfChanged(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
            return false;
        }
        writeAtomically(target, bytes);
        return true;
    }

    /**
     * Writes bytes to {@code target} atomically: readers see the old file or the whole new one.
     *
     * @param target the file
     * @param bytes the content
     * @throws IOException on failure (the target is then unchanged)
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
