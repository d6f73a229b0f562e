package io.procura.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {
  @Test
  void javaEnumShouldMirrorTheGoErrorTableNameForNameAndInOrder() {
    NativeLibrary.load();
    String[] goTable = NativeBridge.errorCodeTable().split(",");
    assertThat(Arrays.stream(ErrorCode.values()).map(Enum::name)).containsExactly(goTable);
  }

  @Test
  void nativeCodesShouldMapToTheirOrdinalAndUnknownOnesToInternal() {
    assertThat(ErrorCode.ofNative(2)).isEqualTo(ErrorCode.INVALID_KEY);
    assertThat(ErrorCode.ofNative(-1)).isEqualTo(ErrorCode.INTERNAL);
    assertThat(ErrorCode.ofNative(1000)).isEqualTo(ErrorCode.INTERNAL);
    assertThat(ProverException.fromNative(3, "gone").code()).isEqualTo(ErrorCode.INVALID_HANDLE);
    assertThat(ProverException.fromNative(3, "gone")).hasMessage("INVALID_HANDLE: gone");
  }
}
