// JNI glue for io.procura.runtime.NativeBridge (see main.go for the boundary
// rules). Every function copies Java arrays into malloc'd C buffers, calls one
// Go export, copies the result back into a new Java array, frees the C memory
// and, on a non-zero code, throws io.procura.runtime.ProverException built by
// ProverException.fromNative(int code, String message).
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "_cgo_export.h"

#define CODE_INVALID_ARGUMENT 1
#define CODE_INTERNAL 8
#define DIGITS_RESULT_BYTES (32 * (8 + 4))

static void throw_prover(JNIEnv *env, int32_t code, const char *msg) {
    if ((*env)->ExceptionCheck(env)) {
        return;
    }
    jclass cls = (*env)->FindClass(env, "io/procura/runtime/ProverException");
    if (cls == NULL) {
        return; /* NoClassDefFoundError pending */
    }
    jmethodID factory = (*env)->GetStaticMethodID(env, cls, "fromNative",
        "(ILjava/lang/String;)Lio/procura/runtime/ProverException;");
    if (factory == NULL) {
        return; /* NoSuchMethodError pending */
    }
    jstring jmsg = (*env)->NewStringUTF(env, msg != NULL ? msg : "");
    if (jmsg == NULL) {
        return; /* OutOfMemoryError pending */
    }
    jobject ex = (*env)->CallStaticObjectMethod(env, cls, factory, (jint)code, jmsg);
    if (ex != NULL && !(*env)->ExceptionCheck(env)) {
        (*env)->Throw(env, (jthrowable)ex);
    }
}

/* Throws for a non-zero code, frees msg; returns 1 if an exception is pending. */
static int check(JNIEnv *env, int32_t code, char *msg) {
    if (code != 0) {
        throw_prover(env, code, msg != NULL ? msg : "native call failed");
    }
    free(msg);
    return code != 0 || (*env)->ExceptionCheck(env);
}

/* Copies a Java byte[] into a malloc'd buffer; NULL (with an exception) on a null array. */
static unsigned char *copy_in(JNIEnv *env, jbyteArray arr, const char *what, int32_t *len) {
    if (arr == NULL) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s must not be null", what);
        throw_prover(env, CODE_INVALID_ARGUMENT, msg);
        return NULL;
    }
    jsize n = (*env)->GetArrayLength(env, arr);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf == NULL) {
        throw_prover(env, CODE_INTERNAL, "out of native memory");
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, arr, 0, n, (jbyte *)buf);
    *len = (int32_t)n;
    return buf;
}

static jbyteArray copy_out(JNIEnv *env, const unsigned char *buf, int32_t len) {
    jbyteArray arr = (*env)->NewByteArray(env, len);
    if (arr != NULL) {
        (*env)->SetByteArrayRegion(env, arr, 0, len, (const jbyte *)buf);
    }
    return arr;
}

/* Ends a call that returns bytes: throws on a non-zero code, else copies them out; frees res either way. */
static jbyteArray bytes_result(JNIEnv *env, int32_t code, unsigned char *res, int32_t len, char *msg) {
    jbyteArray out = check(env, code, msg) ? NULL : copy_out(env, res, len);
    free(res);
    return out;
}

JNIEXPORT jlongArray JNICALL
Java_io_procura_runtime_NativeBridge_setupDigits(JNIEnv *env, jclass cls) {
    int64_t pk = 0, vk = 0;
    char *msg = NULL;
    if (check(env, procuraSetupDigits(&pk, &vk, &msg), msg)) {
        return NULL;
    }
    jlongArray out = (*env)->NewLongArray(env, 2);
    if (out != NULL) {
        jlong hs[2] = {(jlong)pk, (jlong)vk};
        (*env)->SetLongArrayRegion(env, out, 0, 2, hs);
    }
    return out;
}

JNIEXPORT jlong JNICALL
Java_io_procura_runtime_NativeBridge_loadKey(JNIEnv *env, jclass cls, jint kind, jbyteArray bytes) {
    int32_t n = 0;
    unsigned char *buf = copy_in(env, bytes, "key bytes", &n);
    if (buf == NULL) {
        return 0;
    }
    int64_t handle = 0;
    char *msg = NULL;
    int32_t code = procuraLoadKey((int32_t)kind, buf, n, &handle, &msg);
    free(buf);
    return check(env, code, msg) ? 0 : (jlong)handle;
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_keyBytes(JNIEnv *env, jclass cls, jlong handle) {
    unsigned char *res = NULL;
    int32_t len = 0;
    char *msg = NULL;
    int32_t code = procuraKeyBytes((int64_t)handle, &res, &len, &msg);
    return bytes_result(env, code, res, len, msg);
}

JNIEXPORT void JNICALL
Java_io_procura_runtime_NativeBridge_freeHandle(JNIEnv *env, jclass cls, jlong handle) {
    char *msg = NULL;
    check(env, procuraFreeHandle((int64_t)handle, &msg), msg);
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_commitModel(JNIEnv *env, jclass cls, jbyteArray model) {
    int32_t n = 0;
    unsigned char *buf = copy_in(env, model, "model", &n);
    if (buf == NULL) {
        return NULL;
    }
    unsigned char res[32];
    char *msg = NULL;
    int32_t code = procuraCommitModel(buf, n, res, &msg);
    free(buf);
    return check(env, code, msg) ? NULL : copy_out(env, res, 32);
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_commitImage(JNIEnv *env, jclass cls, jbyteArray pixels) {
    int32_t n = 0;
    unsigned char *buf = copy_in(env, pixels, "pixels", &n);
    if (buf == NULL) {
        return NULL;
    }
    unsigned char res[32];
    char *msg = NULL;
    int32_t code = procuraCommitImage(buf, n, res, &msg);
    free(buf);
    return check(env, code, msg) ? NULL : copy_out(env, res, 32);
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_proveDigits(JNIEnv *env, jclass cls, jlong pk,
        jbyteArray model, jbyteArray pixels, jbyteArray binding) {
    int32_t nm = 0, np = 0, nb = 0;
    unsigned char *bm = copy_in(env, model, "model", &nm);
    unsigned char *bp = bm == NULL ? NULL : copy_in(env, pixels, "pixels", &np);
    unsigned char *bb = bp == NULL ? NULL : copy_in(env, binding, "binding", &nb);
    jbyteArray out = NULL;
    if (bb != NULL) {
        unsigned char res[DIGITS_RESULT_BYTES];
        char *msg = NULL;
        int32_t code = procuraProveDigits((int64_t)pk, bm, nm, bp, np, bb, nb, res, &msg);
        if (!check(env, code, msg)) {
            out = copy_out(env, res, DIGITS_RESULT_BYTES);
        }
    }
    free(bm);
    free(bp);
    free(bb);
    return out;
}

JNIEXPORT jboolean JNICALL
Java_io_procura_runtime_NativeBridge_verifyDigits(JNIEnv *env, jclass cls, jlong vk,
        jbyteArray proof, jbyteArray inputs) {
    int32_t np = 0, ni = 0;
    unsigned char *bp = copy_in(env, proof, "proof", &np);
    unsigned char *bi = bp == NULL ? NULL : copy_in(env, inputs, "public inputs", &ni);
    jboolean result = JNI_FALSE;
    if (bi != NULL) {
        int32_t ok = 0;
        char *msg = NULL;
        int32_t code = procuraVerifyDigits((int64_t)vk, bp, np, bi, ni, &ok, &msg);
        if (!check(env, code, msg)) {
            result = ok ? JNI_TRUE : JNI_FALSE;
        }
    }
    free(bp);
    free(bi);
    return result;
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_exportSolidity(JNIEnv *env, jclass cls, jlong vk) {
    unsigned char *res = NULL;
    int32_t len = 0;
    char *msg = NULL;
    int32_t code = procuraExportSolidity((int64_t)vk, &res, &len, &msg);
    return bytes_result(env, code, res, len, msg);
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_scalarFieldModulus(JNIEnv *env, jclass cls) {
    unsigned char res[32];
    procuraScalarFieldModulus(res);
    return copy_out(env, res, 32);
}

JNIEXPORT jstring JNICALL
Java_io_procura_runtime_NativeBridge_errorCodeTable(JNIEnv *env, jclass cls) {
    char *table = procuraErrorCodes();
    jstring out = (*env)->NewStringUTF(env, table);
    free(table);
    return out;
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_circuits(JNIEnv *env, jclass cls) {
    unsigned char *res = NULL;
    int32_t len = 0;
    char *msg = NULL;
    int32_t code = procuraCircuits(&res, &len, &msg);
    return bytes_result(env, code, res, len, msg);
}

JNIEXPORT jlongArray JNICALL
Java_io_procura_runtime_NativeBridge_setupCircuit(JNIEnv *env, jclass cls, jbyteArray id) {
    int32_t n = 0;
    unsigned char *buf = copy_in(env, id, "circuit id", &n);
    if (buf == NULL) {
        return NULL;
    }
    int64_t pk = 0, vk = 0;
    char *msg = NULL;
    int32_t code = procuraSetupCircuit(buf, n, &pk, &vk, &msg);
    free(buf);
    if (check(env, code, msg)) {
        return NULL;
    }
    jlongArray out = (*env)->NewLongArray(env, 2);
    if (out != NULL) {
        jlong hs[2] = {(jlong)pk, (jlong)vk};
        (*env)->SetLongArrayRegion(env, out, 0, 2, hs);
    }
    return out;
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_keyCircuit(JNIEnv *env, jclass cls, jlong handle) {
    unsigned char *res = NULL;
    int32_t len = 0;
    char *msg = NULL;
    int32_t code = procuraKeyCircuit((int64_t)handle, &res, &len, &msg);
    return bytes_result(env, code, res, len, msg);
}

JNIEXPORT jboolean JNICALL
Java_io_procura_runtime_NativeBridge_verify(JNIEnv *env, jclass cls, jlong vk, jbyteArray proof, jbyteArray inputs) {
    int32_t np = 0, ni = 0;
    unsigned char *bp = copy_in(env, proof, "proof", &np);
    unsigned char *bi = bp == NULL ? NULL : copy_in(env, inputs, "public inputs", &ni);
    jboolean result = JNI_FALSE;
    if (bi != NULL) {
        int32_t ok = 0;
        char *msg = NULL;
        int32_t code = procuraVerify((int64_t)vk, bp, np, bi, ni, &ok, &msg);
        if (!check(env, code, msg)) {
            result = ok ? JNI_TRUE : JNI_FALSE;
        }
    }
    free(bp);
    free(bi);
    return result;
}

/* A native call taking two byte arrays and returning a malloc'd buffer (or an error code and message). */
typedef int32_t (*two_arrays_fn)(unsigned char *, int32_t, unsigned char *, int32_t, unsigned char **, int32_t *,
                                 char **);

static jbyteArray two_arrays_call(JNIEnv *env, jbyteArray a, const char *aname, jbyteArray b, const char *bname,
                                  two_arrays_fn fn) {
    int32_t na = 0, nb = 0;
    unsigned char *ba = copy_in(env, a, aname, &na);
    unsigned char *bb = ba == NULL ? NULL : copy_in(env, b, bname, &nb);
    jbyteArray out = NULL;
    if (bb != NULL) {
        unsigned char *res = NULL;
        int32_t len = 0;
        char *msg = NULL;
        int32_t code = fn(ba, na, bb, nb, &res, &len, &msg);
        out = bytes_result(env, code, res, len, msg);
    }
    free(ba);
    free(bb);
    return out;
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_fixedInputs(JNIEnv *env, jclass cls, jbyteArray id, jbyteArray payload) {
    return two_arrays_call(env, id, "circuit id", payload, "payload", procuraFixedInputs);
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_exportSolidityNamed(JNIEnv *env, jclass cls, jlong vk, jbyteArray name) {
    int32_t n = 0;
    unsigned char *bn = copy_in(env, name, "contract name", &n);
    if (bn == NULL) {
        return NULL;
    }
    unsigned char *res = NULL;
    int32_t len = 0;
    char *msg = NULL;
    int32_t code = procuraExportSolidityNamed((int64_t)vk, bn, n, &res, &len, &msg);
    free(bn);
    return bytes_result(env, code, res, len, msg);
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_keyBytesRaw(JNIEnv *env, jclass cls, jlong handle) {
    unsigned char *res = NULL;
    int32_t len = 0;
    char *msg = NULL;
    int32_t code = procuraKeyBytesRaw((int64_t)handle, &res, &len, &msg);
    return bytes_result(env, code, res, len, msg);
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_proveOn(JNIEnv *env, jclass cls, jlong pk, jlong vk, jbyteArray payload,
                                             jbyteArray binding) {
    int32_t np = 0, nb = 0;
    unsigned char *bp = copy_in(env, payload, "payload", &np);
    unsigned char *bb = bp == NULL ? NULL : copy_in(env, binding, "binding", &nb);
    jbyteArray out = NULL;
    if (bb != NULL) {
        unsigned char *res = NULL;
        int32_t len = 0;
        char *msg = NULL;
        int32_t code = procuraProveOn((int64_t)pk, (int64_t)vk, bp, np, bb, nb, &res, &len, &msg);
        out = bytes_result(env, code, res, len, msg);
    }
    free(bp);
    free(bb);
    return out;
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_configureBackend(JNIEnv *env, jclass cls, jbyteArray mode, jbyteArray path) {
    return two_arrays_call(env, mode, "mode", path, "worker path", procuraConfigureBackend);
}

JNIEXPORT jbyteArray JNICALL
Java_io_procura_runtime_NativeBridge_currentBackend(JNIEnv *env, jclass cls) {
    unsigned char *res = NULL;
    int32_t len = 0;
    char *msg = NULL;
    int32_t code = procuraCurrentBackend(&res, &len, &msg);
    return bytes_result(env, code, res, len, msg);
}
