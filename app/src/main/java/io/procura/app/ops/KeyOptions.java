package io.procura.app.ops;

import java.io.IOException;
import java.nio.file.Path;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine.Option;

/**
 * How an operator command gets its signing key (a picocli mixin): an encrypted keystore (web3j's
 * Ethereum V3 keystore, scrypt + AES-128-CTR) whose password is read from an environment variable,
 * or, for development chains only, a raw private key read from an environment variable. Keys are
 * never taken from the command line, where they would land in the shell history.
 */
public final class KeyOptions {
    /** Ethereum V3 keystore file */
    @Option(names = "--keystore", description = "encrypted keystore (Ethereum V3 JSON; `procura keystore new` makes one)")
    public Path keystore;
    /** environment variable that holds the keystore password */
    @Option(names = "--password-env", defaultValue = "PROCURA_PASSWORD",
            description = "environment variable holding the keystore password [default: ${DEFAULT-VALUE}]")
    public String passwordEnv;
    /** environment variable that holds a raw hex private key (development chains) */
    @Option(names = "--private-key-env", description = "environment variable holding a hex private key (development chains only)")
    public String privateKeyEnv;

    /**
     * @return the credentials
     * @throws IllegalArgumentException if neither source is given, a variable is unset, or the keystore cannot be opened
     */
    public Credentials credentials() {
        if (keystore != null) {
            String password = System.getenv(passwordEnv);
            if (password == null) throw new IllegalArgumentException("environment variable " + passwordEnv + " (keystore password) is not set");
            try {
                return WalletUtils.loadCredentials(password, keystore.toFile());
            } catch (IOException | CipherException e) {
                throw new IllegalArgumentException("cannot open keystore " + keystore + ": " + e.getMessage(), e);
            }
        }
        if (privateKeyEnv != null) {
            String key = System.getenv(privateKeyEnv);
            if (key == null || key.isBlank()) throw new IllegalArgumentException("environment variable " + privateKeyEnv + " is not set");
            return Credentials.create(key.trim());
        }
        throw new IllegalArgumentException("give a key: --keystore FILE (password in $" + passwordEnv + ") or --private-key-env VAR");
    }
}
