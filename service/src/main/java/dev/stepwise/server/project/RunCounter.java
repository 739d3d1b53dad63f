package dev.stepwise.server.project;

import java.util.Collection;
import java.util.Map;

/** Counts the runs of projects; the run module, which owns runs, implements it. */
public interface RunCounter {

    /** Number of runs per project id; projects without runs may be missing from the map. */
    Map<Long, Long> runCounts(Collection<Long> projectIds);
}
