package io.procura.runtime;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An entry of the Go-side handle table, released on {@link #close()} (idempotent) or, as a safety
 * net, when the owner becomes unreachable.
 */
final class NativeHandle implements Runnable {
  private static final Cleaner CLEANER = Cleaner.create();

  private final AtomicLong handle;
  private final String what;

  private NativeHandle(long handle, String what) {
    this.handle = new AtomicLong(handle);
    this.what = what;
  }

  /** Wraps {@code handle} and registers {@code owner} with the cleaner; returns the cleanable. */
  static Cleaner.Cleanable register(Object owner, NativeHandle h) {
    return CLEANER.register(owner, h);
  }

  static NativeHandle of(long handle, String what) {
    return new NativeHandle(handle, what);
  }

  /**
   * Returns the live handle.
   *
   * @throws ProverException with {@link ErrorCode#INVALID_HANDLE} once closed
   */
  long get() {
    long h = handle.get();
    if (h == 0) {
      throw new ProverException(ErrorCode.INVALID_HANDLE, "the " + what + " is closed");
    }
    return h;
  }

  /** Frees the handle once; later calls do nothing. */
  @Override
  public void run() {
    long h = handle.getAndSet(0);
    if (h != 0) {
      NativeBridge.freeHandle(h);
    }
  }
}
