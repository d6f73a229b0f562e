package io.procura.app.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.procura.chain.Deployment;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A marketplace's addresses as a JSON file ({@link Deployment}'s fields), written by
 * {@code procura deploy} and read by {@code procura coordinator} and {@code procura agent}.
 */
public final class DeploymentFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DeploymentFile() {}

    /**
     * @param d    the deployment
     * @param file where to write
     * @throws IOException if it cannot be written
     */
    public static void write(Deployment d, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) java.nio.file.Files.createDirectories(parent);
        JSON.writeValue(file.toFile(), d);
    }

    /**
     * Checks that {@link #write} will be able to write {@code file} (its folder can be created and written), so that
     * a command finds out before it spends gas, not after.
     *
     * @param file the file to write
     * @throws IllegalArgumentException naming the file when it cannot be written
     */
    public static void checkWritable(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            java.nio.file.Files.createDirectories(parent);
            if (!java.nio.file.Files.isWritable(parent) || java.nio.file.Files.isDirectory(file)
                    || (java.nio.file.Files.exists(file) && !java.nio.file.Files.isWritable(file))) {
                throw new IOException("not writable");
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot write the deployment file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file a file written by {@link #write}
     * @return the deployment
     * @throws IllegalArgumentException if it cannot be read or lacks a field
     */
    public static Deployment read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Deployment.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read deployment file " + file + ": " + e.getMessage(), e);
        }
    }
}
