package io.procura.agent;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * What a prover agent keeps between runs, in its data directory: a lock that stops a second agent with the same key
 * and market from running side by side (two agents would race each other's nonces and double-prove), and the
 * cursor, the next block whose market events the agent has not handled yet, so that a restarted agent reads the
 * events it missed (a designate duty drawn while it was down is seen, as long as the prove window is open) instead
 * of starting from the latest block.
 *
 * <p>It also keeps the slots whose committee share the agent delivered and has not seen credited, so that a restart
 * still credits and claims them.
 *
 * <p>Files: {@code agent.lock} (an OS file lock, released when the process dies, so a SIGKILLed agent never blocks
 * its restart), {@code cursor} (a decimal block number and the hash of the block before it) and
 * {@code committee-owed} (slot ids, one per line), both replaced atomically.
 */
public final class AgentState implements AutoCloseable {
    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private AgentState(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating it if needed) an agent's data directory and takes its lock.
     *
     * @param dir the directory (one per key and market)
     * @return the state; close it to release the lock
     * @throws IllegalStateException when another live agent holds the lock
     * @throws java.io.UncheckedIOException when the directory cannot be created or locked
     */
    public static AgentState open(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(dir.resolve("agent.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                ch.close();
                throw new IllegalStateException("another agent with this key and market is running (it holds "
                        + dir.resolve("agent.lock") + "); stop it first: two agents with one key would double-prove and "
                        + "race each other's transactions");
            }
            return new AgentState(dir, ch, lock);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open the agent data directory " + dir, e);
        }
    }

    /** @return the agent's data directory */
    public Path dir() {
        return dir;
    }

    /**
     * @return the next block to read, as the last run left it; empty on a first run
     * @throws IllegalStateException when the cursor file is not a block number (it names the file)
     */
    public Optional<BigInteger> cursor() {
        return readCursor().map(c -> c[0]).map(BigInteger::new);
    }

    /**
     * @return the hash the block before the cursor had when the last run read it (what the next run compares with
     *         the chain to notice a reorganisation while it was down); empty when not recorded
     */
    public Optional<String> lastReadHash() {
        return readCursor().filter(c -> c.length > 1).map(c -> c[1]);
    }

    /** The cursor file's fields: the next block, then (optionally) the last read block's hash. */
    private Optional<String[]> readCursor() {
        Path file = dir.resolve("cursor");
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            String[] fields = Files.readString(file, StandardCharsets.US_ASCII).strip().split("\\s+");
            BigInteger b = new BigInteger(fields[0]);
            if (b.signum() < 0) throw new NumberFormatException("negative");
            if (fields.length > 1 && !fields[1].matches("0x[0-9a-fA-F]{64}")) throw new NumberFormatException("hash");
            return Optional.of(fields);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " does not hold a block number (and block hash); delete it to start "
                    + "from --from-block or the latest block", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Records the next block to read (written to a temporary file, then moved over the cursor atomically, so a crash
     * never leaves half a number).
     *
     * @param nextBlock    the first block whose events are not handled yet
     * @param lastReadHash the hash of block {@code nextBlock - 1} as read, or null
     */
    public void saveCursor(BigInteger nextBlock, String lastReadHash) {
        write("cursor", nextBlock + (lastReadHash == null ? "" : " " + lastReadHash) + "\n");
    }

    /**
     * @return the settled-or-pending slots whose committee share this prover delivered and has not seen credited (the
     *         last run's list), by slot id
     * @throws IllegalStateException when the file does not hold slot ids (it names the file)
     */
    public java.util.SortedSet<BigInteger> committeeOwed() {
        Path file = dir.resolve("committee-owed");
        java.util.SortedSet<BigInteger> out = new java.util.TreeSet<>();
        if (!Files.isRegularFile(file)) return out;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) out.add(new BigInteger(line.strip()));
            }
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " does not hold slot ids, one per line", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Replaces the list of slots whose committee share is owed (atomically).
     *
     * @param slotIds the slot ids
     */
    public void saveCommitteeOwed(java.util.Collection<BigInteger> slotIds) {
        StringBuilder b = new StringBuilder();
        for (BigInteger id : new java.util.TreeSet<>(slotIds)) b.append(id).append('\n');
        write("committee-owed", b.toString());
    }

    private void write(String name, String text) {
        Path file = dir.resolve(name);
        try {
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Releases the lock. Idempotent. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the OS releases the lock with the process anyway
        }
    }
}
