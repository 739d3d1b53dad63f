package dev.stepwise.client.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.stepwise.client.Sleeper;

/** A sleeper that never waits and remembers what it was asked to wait. */
public final class RecordingSleeper implements Sleeper {
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
    }

    /** @return every requested wait, in order */
    public List<Duration> waits() {
        synchronized (waits) {
            return new ArrayList<>(waits);
        }
    }
}
