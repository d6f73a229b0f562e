package io.procura.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Loads {@code libprocura_native.so} (the Go/gnark runtime built with {@code go build
 * -buildmode=c-shared}) exactly once per class loader. The library is taken from the system
 * property {@value #PATH_PROPERTY} when set, otherwise extracted from the jar resource {@value
 * #RESOURCE} to a temporary file. Only linux/x86-64 is supported.
 *
 * <p>Signals: like every Go {@code c-shared} library (and besu-native's gnark module), the Go
 * runtime installs its handlers for the synchronous signals (SIGSEGV, SIGBUS, SIGFPE) and SIGPIPE
 * and adds {@code SA_ONSTACK} to the JVM's other handlers; a signal raised outside Go code is
 * forwarded to the JVM's handler, so implicit null checks and stack-overflow detection keep working
 * ({@code NativeBoundaryTest} checks it after thousands of native calls). {@code -Xcheck:jni}
 * therefore reports "handler modified"; preloading {@code $JAVA_HOME/lib/libjsig.so} makes the
 * chaining explicit.
 */
public final class NativeLibrary {
  /** System property naming an explicit library path, overriding the bundled one. */
  public static final String PATH_PROPERTY = "procura.native.library";

  /** The jar resource holding the library. */
  public static final String RESOURCE = "/native/linux-x86_64/libprocura_native.so";

  private static ProverException failure;
  private static boolean loaded;

  private NativeLibrary() {}

  /**
   * Loads the library if it is not loaded yet.
   *
   * @throws ProverException with {@link ErrorCode#NATIVE_UNAVAILABLE} if the platform is not
   *     linux/x86-64, the resource is missing, the library fails to link, or its error-code table
   *     differs from {@link ErrorCode} (a library from another build); the same exception is
   *     thrown again on later calls
   */
  public static synchronized void load() {
    if (loaded) {
      return;
    }
    if (failure != null) {
      throw failure;
    }
    try {
      doLoad();
      loaded = true;
    } catch (ProverException e) {
      failure = e;
      throw e;
    }
  }

  private static void doLoad() {
    String explicit = System.getProperty(PATH_PROPERTY);
    Path path;
    if (explicit != null && !explicit.isBlank()) {
      path = Path.of(explicit);
    } else {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
      if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
        throw new ProverException(ErrorCode.NATIVE_UNAVAILABLE,
            "the native prover is built for linux/x86-64 only, this JVM runs on " + os + "/" + arch
                + " (set -D" + PATH_PROPERTY + "=<path> to use a library built for it)");
      }
      path = extract();
    }
    try {
      System.load(path.toAbsolutePath().toString());
    } catch (UnsatisfiedLinkError | SecurityException e) {
      throw new ProverException(ErrorCode.NATIVE_UNAVAILABLE, "cannot load " + path + ": " + e.getMessage(), e);
    }
    String expected = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.joining(","));
    String actual = NativeBridge.errorCodeTable();
    if (!expected.equals(actual)) {
      throw new ProverException(ErrorCode.NATIVE_UNAVAILABLE,
          "native library " + path + " has error codes [" + actual + "], this jar expects [" + expected + "]");
    }
  }

  private static Path extract() {
    try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new ProverException(ErrorCode.NATIVE_UNAVAILABLE,
            "resource " + RESOURCE + " is missing from the classpath (was gpu-runtime built with Go and cgo?)");
      }
      Path tmp = Files.createTempFile("procura_native", ".so");
      tmp.toFile().deleteOnExit();
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return tmp;
    } catch (IOException e) {
      throw new ProverException(ErrorCode.NATIVE_UNAVAILABLE, "cannot extract " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /** The jar folder holding the GPU worker and ICICLE's host-only libraries. */
  public static final String GPU_RESOURCES = "/native/linux-x86_64/gpu/";

  /** System property naming a GPU worker executable, overriding the bundled one (and PROCURA_GPU_WORKER). */
  public static final String GPU_WORKER_PROPERTY = "procura.gpu.worker";

  private static final String[] GPU_FILES = {
    "procura-gpu-worker", "libicicle_device.so", "libicicle_field_bn254.so", "libicicle_curve_bn254.so"
  };

  private static Path gpuWorker;

  /**
   * The GPU worker executable: the property {@value #GPU_WORKER_PROPERTY}, else the environment's
   * {@code PROCURA_GPU_WORKER}, else the worker bundled in the jar (extracted once, with ICICLE's libraries beside
   * it, to a temporary folder).
   *
   * @return its path, or empty when the jar has none (a build without it)
   * @throws ProverException {@link ErrorCode#NATIVE_UNAVAILABLE} when extracting it fails
   */
  public static synchronized java.util.Optional<Path> gpuWorker() {
    String explicit = System.getProperty(GPU_WORKER_PROPERTY, System.getenv("PROCURA_GPU_WORKER"));
    if (explicit != null && !explicit.isBlank()) {
      return java.util.Optional.of(Path.of(explicit));
    }
    if (gpuWorker != null) {
      return java.util.Optional.of(gpuWorker);
    }
    if (NativeLibrary.class.getResource(GPU_RESOURCES + GPU_FILES[0]) == null) {
      return java.util.Optional.empty();
    }
    try {
      Path dir = Files.createTempDirectory("procura_gpu");
      dir.toFile().deleteOnExit(); // registered first, deleted last
      for (String name : GPU_FILES) {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(GPU_RESOURCES + name)) {
          if (in == null) {
            throw new ProverException(ErrorCode.NATIVE_UNAVAILABLE, "resource " + GPU_RESOURCES + name + " is missing");
          }
          Path file = dir.resolve(name);
          Files.copy(in, file);
          file.toFile().deleteOnExit();
        }
      }
      Path worker = dir.resolve(GPU_FILES[0]);
      if (!worker.toFile().setExecutable(true, true)) {
        throw new ProverException(ErrorCode.NATIVE_UNAVAILABLE, "cannot make " + worker + " executable");
      }
      gpuWorker = worker;
      return java.util.Optional.of(worker);
    } catch (IOException e) {
      throw new ProverException(ErrorCode.NATIVE_UNAVAILABLE, "cannot extract the GPU worker: " + e.getMessage(), e);
    }
  }
}
