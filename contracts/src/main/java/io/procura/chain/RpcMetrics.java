package io.procura.chain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * Times every JSON-RPC call a {@link ChainClient} makes, as an OkHttp interceptor on web3j's HTTP transport, into
 * Micrometer's global registry (what {@code /metrics} of the coordinator and the agent expose in Prometheus format):
 *
 * <ul>
 *   <li>{@code procura_rpc_requests_seconds{method}} — a timer (count, sum, max, histogram buckets) per JSON-RPC method;
 *   <li>{@code procura_rpc_errors_total{method, kind}} — {@code transport} (no answer: refused, reset, timed out),
 *       {@code http} (a status other than 2xx) or {@code rpc} (a JSON-RPC {@code error} member, reverts included).
 * </ul>
 *
 * <p>The method is read from the request body ({@code "method":"eth_call"}); a batch is labelled {@code batch}. Only
 * the first 512 bytes of a response are looked at for an error.
 */
final class RpcMetrics implements Interceptor {

    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([A-Za-z0-9_]{1,64})\"");
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\\{");

    private final MeterRegistry registry;

    RpcMetrics() {
        this(Metrics.globalRegistry);
    }

    RpcMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String method = methodOf(request);
        long start = System.nanoTime();
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException | RuntimeException e) {
            timer(method).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            errors(method, "transport").increment();
            throw e;
        }
        // (the time to the response's headers: the body is read by web3j afterwards)
        timer(method).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (!response.isSuccessful()) {
            errors(method, "http").increment();
            return response;
        }
        try {
            if (ERROR.matcher(response.peekBody(512).string()).find()) {
                errors(method, "rpc").increment();
            }
        } catch (IOException | RuntimeException e) {
            response.close(); // the connection broke mid-body: give it back, report it as the transport failure it is
            errors(method, "transport").increment();
            throw e;
        }
        return response;
    }

    private Timer timer(String method) {
        return Timer.builder("procura.rpc.requests").description("JSON-RPC calls to the chain node, by method")
                .tag("method", method).publishPercentileHistogram().register(registry);
    }

    private Counter errors(String method, String kind) {
        return Counter.builder("procura.rpc.errors").description("JSON-RPC calls that failed, by method and kind")
                .tag("method", method).tag("kind", kind).register(registry);
    }

    private static String methodOf(Request request) {
        if (request.body() == null) {
            return "none";
        }
        try (Buffer b = new Buffer()) {
            request.body().writeTo(b);
            String body = b.readUtf8(Math.min(b.size(), 4096));
            if (body.stripLeading().startsWith("[")) {
                return "batch";
            }
            Matcher m = METHOD.matcher(body);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
