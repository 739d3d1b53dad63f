package dev.stepwise.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.api.Test;

import dev.stepwise.client.RetryPolicy;
import dev.stepwise.client.testing.RecordingSleeper;

class RetrierTests {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final Counters counters = new Counters();
    private final Retrier retrier = new Retrier(RetryPolicy.builder().maxAttempts(4).jitter(0)
            .initialBackoff(Duration.ofSeconds(1)).build(), sleeper, clock, Duration.ofSeconds(5), counters);

    private static HttpApi.Response status(int code, String retryAfter) {
        return new HttpApi.Response(code, new byte[0], retryAfter, null);
    }

    private Retrier.Call script(Object... answers) {
        Deque<Object> queue = new ArrayDeque<>(java.util.List.of(answers));
        return t -> {
            Object a = queue.poll();
            if (a instanceof IOException) {
                throw (IOException) a;
            }
            return (HttpApi.Response) a;
        };
    }

    @Test
    void retriesIoErrors408And429And5xx() throws Exception {
        Retrier.Outcome o = retrier.execute(script(new ConnectException("refused"), status(408, null),
                status(429, null), status(200, null)), Long.MAX_VALUE / 4);
        assertThat(o.kind()).isEqualTo(Retrier.Kind.OK);
        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(counters.retried.sum()).isEqualTo(3);
    }

    @Test
    void neverRetriesOtherClientErrors() throws Exception {
        for (int code : new int[] {400, 401, 403, 404, 409, 413, 422}) {
            Retrier.Outcome o = retrier.execute(script(status(code, null), status(200, null)), Long.MAX_VALUE / 4);
            assertThat(o.kind()).as("HTTP " + code).isEqualTo(Retrier.Kind.REJECTED);
        }
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void givesUpAfterTheLastAttempt() throws Exception {
        Retrier.Outcome o = retrier.execute(script(status(503, null), status(503, null), status(503, null),
                status(503, null), status(200, null)), Long.MAX_VALUE / 4);
        assertThat(o.kind()).isEqualTo(Retrier.Kind.GAVE_UP);
        assertThat(o.reason()).contains("503").contains("4 attempts");
    }

    @Test
    void givesUpRatherThanWaitPastTheDeadline() throws Exception {
        Retrier.Outcome o = retrier.execute(script(status(503, "120"), status(200, null)),
                System.nanoTime() + Duration.ofSeconds(10).toNanos());
        assertThat(o.kind()).isEqualTo(Retrier.Kind.GAVE_UP);
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void parsesRetryAfterSecondsAndHttpDates() {
        assertThat(Retrier.parseRetryAfter("5", clock)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Retrier.parseRetryAfter("Mon, 23 Nov 2026 12:01:00 GMT", clock)).isEqualTo(Duration.ofMinutes(1));
        assertThat(Retrier.parseRetryAfter("Mon, 23 Nov 2026 11:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
        assertThat(Retrier.parseRetryAfter("soon", clock)).isNull();
        assertThat(Retrier.parseRetryAfter(null, clock)).isNull();
    }
}
