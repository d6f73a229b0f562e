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
