package io.procura.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the UCI "Optical Recognition of Handwritten Digits" images shipped as {@code
 * data/digits.csv.gz}: one image per line, 65 comma-separated integers (64 pixels 0..16 row-major,
 * then the label 0..9).
 */
public final class DigitsDataset {
  private DigitsDataset() {}

  /**
   * Reads every image of a gzip-compressed CSV file.
   *
   * @param csvGz the file
   * @return the images in file order, {@code index} counting from 0
   * @throws IOException if the file cannot be read or a line is malformed (the message names the line)
   */
  public static List<DigitsImage> load(Path csvGz) throws IOException {
    List<DigitsImage> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(csvGz)), StandardCharsets.US_ASCII))) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.trim().split(",");
        if (f.length != DigitsModel.FEATURES + 1) {
          throw new IOException(csvGz + ":" + lineNo + ": expected 65 values, got " + f.length);
        }
        byte[] px = new byte[DigitsModel.FEATURES];
        try {
          for (int i = 0; i < DigitsModel.FEATURES; i++) {
            int v = Integer.parseInt(f[i].trim());
            if (v < 0 || v > 255) {
              throw new IOException(csvGz + ":" + lineNo + ": pixel " + i + " = " + v + " is not a byte");
            }
            px[i] = (byte) v;
          }
          int label = Integer.parseInt(f[DigitsModel.FEATURES].trim());
          if (label < 0 || label >= DigitsModel.CLASSES) {
            throw new IOException(csvGz + ":" + lineNo + ": label " + label + " is not a digit");
          }
          out.add(new DigitsImage(out.size(), px, label));
        } catch (NumberFormatException e) {
          throw new IOException(csvGz + ":" + lineNo + ": " + e.getMessage(), e);
        }
      }
    }
    return out;
  }
}
