package io.procura.runtime;

/**
 * One labelled 8x8 digit.
 *
 * @param index the 0-based row of the image in its data set
 * @param pixels 64 pixel bytes, row-major, values 0..16 in the UCI data
 * @param label the true digit, 0..9
 */
public record DigitsImage(int index, byte[] pixels, int label) {
  /** Checks the shape and copies the pixels. */
  public DigitsImage {
    DigitsModel.checkPixels(pixels);
    pixels = pixels.clone();
  }

  /** Returns a copy of the pixels. */
  @Override
  public byte[] pixels() {
    return pixels.clone();
  }
}
