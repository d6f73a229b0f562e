package io.procura.app.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code procura keystore new}: a fresh key in an encrypted keystore (web3j, Ethereum V3, scrypt). */
@Command(name = "keystore", mixinStandardHelpOptions = true, description = "Encrypted keystores for operator keys.",
        subcommands = {KeystoreCommand.New.class})
public final class KeystoreCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Creates a new key and writes it encrypted. */
    @Command(name = "new", mixinStandardHelpOptions = true, description = "Create a key; print its address.")
    static final class New implements Callable<Integer> {
        @Option(names = "--dir", description = "directory for the keystore file [default: $XDG_DATA_HOME or ~/.local/share, "
                + "then procura/keys]")
        Path dir;
        @Option(names = "--password-env", defaultValue = "PROCURA_PASSWORD",
                description = "environment variable holding the password [default: ${DEFAULT-VALUE}]")
        String passwordEnv;

        @Override
        public Integer call() throws Exception {
            String password = System.getenv(passwordEnv);
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("set the password in the environment variable " + passwordEnv);
            }
            Path target = dir != null ? dir : DataDirs.keys();
            Files.createDirectories(target);
            String file = WalletUtils.generateNewWalletFile(password, target.toFile(), true);
            Path written = target.resolve(file);
            try { // readable by its owner only (where the file system has POSIX permissions)
                Files.setPosixFilePermissions(written, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Credentials c = WalletUtils.loadCredentials(password, written.toFile());
            System.out.println("address  " + c.getAddress());
            System.out.println("keystore " + written);
            return 0;
        }
    }
}
