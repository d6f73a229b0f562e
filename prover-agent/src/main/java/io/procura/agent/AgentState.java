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
 * <p>Files: {@code agent.lock} (an OS file lock, released when the process dies, so a SIGKILLed agent never blocks
 * its restart) and {@code cursor} (a decimal block number, replaced atomically).
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
        Path file = dir.resolve("cursor");
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            BigInteger b = new BigInteger(text);
            if (b.signum() < 0) throw new NumberFormatException("negative");
            return Optional.of(b);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " does not hold a block number; delete it to start from --from-block "
                    + "or the latest block", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Records the next block to read (written to a temporary file, then moved over the cursor atomically, so a crash
     * never leaves half a number).
     *
     * @param nextBlock the first block whose events are not handled yet
     */
    public void saveCursor(BigInteger nextBlock) {
        Path file = dir.resolve("cursor");
        try {
            Path tmp = Files.createTempFile(dir, "cursor", ".tmp");
            Files.writeString(tmp, nextBlock.toString() + "\n", StandardCharsets.US_ASCII);
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
