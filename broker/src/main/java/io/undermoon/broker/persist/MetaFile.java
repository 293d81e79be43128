package io.undermoon.broker.persist;

import io.undermoon.broker.BrokerJson;
import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.model.broker.MetaStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meta file: the whole store as compact JSON, replaced atomically. A write goes to a temporary
 * file in the same directory ({@code <name>-<nanos>.tmp}), is fsynced, renamed over the meta file
 * and the directory is fsynced, so a crash at any point leaves either the old or the new complete
 * file, never a torn one.
 *
 * <p>Writes carry the sequence number of the published store they hold; a write older than the
 * last one is skipped, so a slow periodic write can never overwrite a newer store.
 */
public final class MetaFile {
    private static final Logger LOG = LoggerFactory.getLogger(MetaFile.class);

    private final Path path;
    private final Path dir;
    private final Pattern tempName;
    private long lastWrittenSeq = -1;

    public MetaFile(Path path) {
        this.path = path.toAbsolutePath();
        this.dir = this.path.getParent();
        this.tempName = Pattern.compile(Pattern.quote(this.path.getFileName().toString()) + "-\\d+\\.tmp");
    }

    public Path path() {
        return path;
    }

    /**
     * Reads the file; empty if it does not exist.
     *
     * @throws IOException unreadable, or not a valid store
     * @throws BrokerException INVALID_META_VERSION for another format version
     */
    public Optional<MetaStore> read() throws IOException, BrokerException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        MetaStore store = BrokerJson.read(bytes, MetaStore.class);
        if (!MetaStore.VERSION.equals(store.version())) {
            throw new BrokerException(BrokerError.INVALID_META_VERSION,
                    "meta file " + path + " has version " + store.version() + ", expected " + MetaStore.VERSION);
        }
        return Optional.of(store);
    }

    /**
     * Writes {@code store} unless a store with a sequence number at least {@code seq} was already
     * written. Serialized: one write at a time.
     *
     * @return true if written
     */
    public synchronized boolean write(MetaStore store, long seq) throws IOException {
        if (seq <= lastWrittenSeq) {
            return false;
        }
        byte[] json = BrokerJson.write(store);
        Files.createDirectories(dir);
        Path tmp = dir.resolve(path.getFileName() + "-" + System.nanoTime() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(json);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        syncDirectory();
        lastWrittenSeq = seq;
        return true;
    }

    private void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename itself is still atomic
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    /** Deletes temporary files a crash left behind. */
    public void removeStaleTempFiles() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (tempName.matcher(f.getFileName().toString()).matches()) {
                    LOG.info("removing temporary meta file left by a crash: {}", f);
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clean temporary meta files in {}: {}", dir, e.toString());
        }
    }
}
