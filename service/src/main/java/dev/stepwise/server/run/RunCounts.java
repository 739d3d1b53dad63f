package dev.stepwise.server.run;

import dev.stepwise.server.project.RunCounter;
import java.util.Collection;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Run counts for the project list. */
@Component
class RunCounts implements RunCounter {

    private final RunStore store;

    RunCounts(RunStore store) {
        this.store = store;
    }

    @Override
    @Transactional(readOnly = true)
    public Map<Long, Long> runCounts(Collection<Long> projectIds) {
        return store.countByProject(projectIds);
    }
}
