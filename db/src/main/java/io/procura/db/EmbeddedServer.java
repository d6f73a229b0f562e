package io.procura.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts a zonky {@link EmbeddedPostgres} that works whoever runs the JVM.
 *
 * <p>PostgreSQL refuses to run as root ({@code initdb}, {@code pg_ctl} and {@code postgres} all
 * check the effective uid). Three modes:
 * <ul>
 *   <li>{@link Mode#PLAIN}: not root, zonky as is;</li>
 *   <li>{@link Mode#UNSHARE}: root, and {@code unshare -U} works (user namespaces enabled): zonky
 *       itself runs every PostgreSQL tool inside a fresh user namespace where it is not uid 0;</li>
 *   <li>{@link Mode#SETPRIV}: root without user namespaces (typical of containers): the real
 *       binaries are extracted once under {@code java.io.tmpdir}, and zonky gets a binary bundle of
 *       small wrapper scripts that run them as an unprivileged user (default {@code nobody},
 *       system property {@code procura.pg.user}) through util-linux {@code setpriv}; the data
 *       directory is handed to that user.</li>
 * </ul>
 */
final class EmbeddedServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);

    /** How the PostgreSQL processes are run. */
    enum Mode { PLAIN, UNSHARE, SETPRIV }

    private static final Map<String, PgBinaryResolver> WRAPPER_RESOLVERS = new ConcurrentHashMap<>();

    final EmbeddedPostgres postgres;
    final Mode mode;
    final Path dataDir;
    /** A directory this class created and must delete on close, or null. */
    private final Path ownedTempRoot;

    private EmbeddedServer(EmbeddedPostgres postgres, Mode mode, Path dataDir, Path ownedTempRoot) {
        this.postgres = postgres;
        this.mode = mode;
        this.dataDir = dataDir;
        this.ownedTempRoot = ownedTempRoot;
    }

    /** Detects the mode this JVM needs. */
    static Mode detectMode() {
        if (!isRoot()) {
            return Mode.PLAIN;
        }
        return LinuxUtils.isUnshareAvailable() ? Mode.UNSHARE : Mode.SETPRIV;
    }

    /**
     * Starts a server.
     *
     * @param dataDir the data directory to keep (created and initialised if empty), or null for a
     *                temporary one deleted on close
     */
    static EmbeddedServer start(Path dataDir) throws IOException {
        Mode mode = detectMode();
        Path tempRoot = null;
        boolean temporary = dataDir == null;
        Path dir;
        if (temporary) {
            tempRoot = Files.createTempDirectory("procura-pg-");
            // world-traversable so that an unprivileged server user can reach the data directory
            Files.setPosixFilePermissions(tempRoot, perms("rwxr-xr-x"));
            dir = tempRoot.resolve("data");
        } else {
            dir = dataDir.toAbsolutePath().normalize();
        }
        Files.createDirectories(dir);
        if (!temporary) clearStaleServer(dir);

        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(temporary)
                .setPGStartupWait(java.time.Duration.ofSeconds(60));
        if (mode == Mode.SETPRIV) {
            ServerUser user = ServerUser.resolve(System.getProperty("procura.pg.user", "nobody"));
            checkReachable(dir, user);
            chownTree(dir, user.uid(), user.gid());
            builder.setPgBinaryResolver(wrapperResolver(user));
        } else if (mode == Mode.UNSHARE) {
            // a cluster written by an earlier SETPRIV run belongs to the server user; inside a user
            // namespace only files of the (unmapped) host root are usable, so hand it back to root
            chownTree(dir, 0, 0);
        }
        LOG.info("Starting embedded PostgreSQL (mode {}, data directory {})", mode, dir);
        try {
            EmbeddedPostgres pg = builder.start();
            return new EmbeddedServer(pg, mode, dir, tempRoot);
        } catch (IOException | RuntimeException e) {
            if (tempRoot != null) {
                deleteTree(tempRoot);
            }
            throw e;
        }
    }

    /**
     * A kept data directory whose last server was never stopped (its coordinator was SIGKILLed: zonky's server is a
     * separate process and outlives the JVM) would make the next start wait 60 s and fail. When {@code
     * postmaster.pid} names a live PostgreSQL process, it is stopped (SIGTERM, then SIGKILL after 10 s) and logged;
     * a pid file of a dead process is removed.
     */
    static void clearStaleServer(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) return;
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        } catch (RuntimeException e) {
            LOG.warn("Removing an unreadable {}", pidFile);
            Files.deleteIfExists(pidFile);
            return;
        }
        java.util.Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            LOG.warn("Removing the pid file of a PostgreSQL that is gone (pid {}): {}", pid, pidFile);
            Files.deleteIfExists(pidFile);
            return;
        }
        String command = p.get().info().commandLine().orElse(p.get().info().command().orElse(""));
        if (!command.contains("postgres")) {
            throw new IOException(pidFile + " names pid " + pid + ", a live process that is not PostgreSQL (" + command
                    + "); remove the file if no server uses " + dir);
        }
        LOG.warn("An embedded PostgreSQL (pid {}) still runs on {} (its coordinator was killed without stopping it): "
                + "stopping it", pid, dir);
        p.get().destroy();
        try {
            p.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception notYet) {
            p.get().destroyForcibly();
            try {
                p.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("cannot stop the stale PostgreSQL (pid " + pid + ") on " + dir, e);
            }
        }
        Files.deleteIfExists(pidFile);
    }

    /** Stops the server and removes a temporary data directory. */
    void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Could not stop embedded PostgreSQL cleanly: {}", e.toString());
        }
        if (ownedTempRoot != null) {
            deleteTree(ownedTempRoot);
        }
    }

    // ----------------------------------------------------------------------------------------
    // root detection and the unprivileged user

    static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (Throwable e) { // NOPMD not a Unix JVM, or the module is absent
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** The unprivileged account the server runs as in {@link Mode#SETPRIV}. */
    record ServerUser(String name, long uid, long gid, String setpriv) {
        static ServerUser resolve(String name) throws IOException {
            String setpriv = findExecutable("setpriv");
            if (setpriv == null) {
                throw new IOException("PostgreSQL cannot run as root, user namespaces are unavailable (unshare -U failed)"
                        + " and util-linux 'setpriv' was not found on PATH; run the JVM as a non-root user"
                        + " or install util-linux");
            }
            long uid = Long.parseLong(run("id", "-u", name));
            long gid = Long.parseLong(run("id", "-g", name));
            if (uid == 0) {
                throw new IOException("procura.pg.user '" + name + "' is root; PostgreSQL needs an unprivileged user");
            }
            return new ServerUser(name, uid, gid, setpriv);
        }
    }

    private static String findExecutable(String name) {
        List<String> dirs = new ArrayList<>(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        for (String d : dirs) {
            Path p = Paths.get(d.isEmpty() ? "." : d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath().toString();
            }
        }
        return null;
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + out);
        }
        return out;
    }

    /** Every ancestor of the data directory must be searchable by "others" (the server user). */
    private static void checkReachable(Path dir, ServerUser user) throws IOException {
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("Running as root, the embedded PostgreSQL runs as user '" + user.name()
                        + "', which cannot reach data directory " + dir + ": " + p
                        + " is not searchable by others (chmod o+x it, or choose a data directory elsewhere)");
            }
        }
    }

    /** Gives every file under {@code dir} to uid:gid, skipping files that already belong to them. */
    private static void chownTree(Path dir, long uid, long gid) throws IOException {
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = lookup.lookupPrincipalByName(Long.toString(uid));
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(Long.toString(gid));
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Object fileUid = Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Object fileGid = Files.getAttribute(p, "unix:gid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (((Number) fileUid).longValue() == uid && ((Number) fileGid).longValue() == gid) {
                    continue;
                }
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                view.setOwner(owner);
                view.setGroup(group);
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // binaries for SETPRIV mode

    private static PgBinaryResolver wrapperResolver(ServerUser user) throws IOException {
        String arch = archName();
        byte[] original;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", arch)) {
            if (in == null) {
                throw new IOException("No embedded PostgreSQL binaries for Linux " + arch + " on the class path");
            }
            original = in.readAllBytes();
        }
        Path realDir = extractOnce(original);
        String key = realDir + "|" + user;
        PgBinaryResolver cached = WRAPPER_RESOLVERS.get(key);
        if (cached != null) {
            return cached;
        }
        byte[] bundle = wrapperBundle(realDir, user);
        PgBinaryResolver resolver = (system, hardware) -> new ByteArrayInputStream(bundle);
        PgBinaryResolver previous = WRAPPER_RESOLVERS.putIfAbsent(key, resolver);
        return previous != null ? previous : resolver;
    }

    private static String archName() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    /** Extracts the zonky txz bundle to {@code tmp/procura-pg-bin/PG-<md5>} unless already there. */
    private static Path extractOnce(byte[] txz) throws IOException {
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(txz));
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        Path base = Paths.get(System.getProperty("java.io.tmpdir"), "procura-pg-bin");
        Files.createDirectories(base);
        Files.setPosixFilePermissions(base, perms("rwxr-xr-x"));
        Path target = base.resolve("PG-" + digest);
        if (Files.isRegularFile(target.resolve(".complete"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(base, "staging-");
        try {
            Files.setPosixFilePermissions(staging, perms("rwxr-xr-x"));
            LOG.info("Extracting PostgreSQL binaries to {}", target);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZCompressorInputStream(new ByteArrayInputStream(txz)))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    Path out = staging.resolve(e.getName()).normalize();
                    if (!out.startsWith(staging)) {
                        throw new IOException("bad entry in PostgreSQL bundle: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                        Files.setPosixFilePermissions(out, perms("rwxr-xr-x"));
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(out.getParent());
                        Files.createSymbolicLink(out, Paths.get(e.getLinkName()));
                    } else if (e.isLink()) {
                        Files.createDirectories(out.getParent());
                        Files.createLink(out, staging.resolve(e.getLinkName()).normalize());
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                        boolean exec = (e.getMode() & 0111) != 0 || e.getName().matches("(\\./)?bin/.*");
                        Files.setPosixFilePermissions(out, perms(exec ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            }
            Files.createFile(staging.resolve(".complete"));
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                LOG.debug("another process extracted {} first", target);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move " + staging + " to " + target, e);
            }
        } finally {
            if (Files.exists(staging)) {
                deleteTree(staging);
            }
        }
        if (!Files.isRegularFile(target.resolve(".complete"))) {
            throw new IOException("PostgreSQL binaries at " + target + " are incomplete; delete that directory");
        }
        return target;
    }

    /** A txz with bin/initdb, bin/pg_ctl, bin/postgres scripts that run the real tools as the user. */
    private static byte[] wrapperBundle(Path realDir, ServerUser user) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZCompressorOutputStream(bytes))) {
            TarArchiveEntry binDir = new TarArchiveEntry("bin/");
            binDir.setMode(0755);
            tar.putArchiveEntry(binDir);
            tar.closeArchiveEntry();
            for (String tool : List.of("initdb", "pg_ctl", "postgres")) {
                String real = shellQuote(realDir.resolve("bin").resolve(tool).toString());
                String script = "#!/bin/sh\n"
                        + "# Generated by Procura (io.procura.db.EmbeddedServer): PostgreSQL refuses to run as root,\n"
                        + "# so the real " + tool + " runs as user " + user.name() + ".\n"
                        + "cd / || exit 1\n"
                        + "if [ \"$(id -u)\" = 0 ]; then\n"
                        + "  exec " + shellQuote(user.setpriv()) + " --reuid=" + user.uid() + " --regid=" + user.gid()
                        + " --clear-groups " + real + " \"$@\"\n"
                        + "fi\n"
                        + "exec " + real + " \"$@\"\n";
                byte[] content = script.getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry("bin/" + tool);
                entry.setMode(0755);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static Set<PosixFilePermission> perms(String rwx) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        set.addAll(java.nio.file.attribute.PosixFilePermissions.fromString(rwx));
        return set;
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("Could not delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", root, e.toString());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedServer[mode=" + mode.name().toLowerCase(Locale.ROOT) + ", port=" + postgres.getPort()
                + ", data=" + dataDir + "]";
    }
}
