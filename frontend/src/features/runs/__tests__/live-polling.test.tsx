import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { getRunQueryOptions } from '@/features/runs/api/get-run';
import { getRunsQueryOptions } from '@/features/runs/api/get-runs';
import { buildRun } from '@/testing/data';

type Interval = (query: unknown) => number | false;

function intervalFor(options: { queryKey: readonly unknown[]; refetchInterval?: unknown }, data: unknown) {
  const client = new QueryClient();
  client.setQueryData(options.queryKey, data);
  const query = client.getQueryCache().find({ queryKey: options.queryKey })!;
  return (options.refetchInterval as Interval)(query);
}

describe('live updates', () => {
  it('polls the runs table every 5 s while any listed run is RUNNING, and stops after', () => {
    const options = getRunsQueryOptions('vision', { sort: '-createdAt' });
    expect(
      intervalFor(options, {
        runs: [buildRun({ status: 'FINISHED' }), buildRun({ status: 'RUNNING' })],
        nextCursor: null,
      }),
    ).toBe(5000);
    expect(
      intervalFor(options, {
        runs: [buildRun({ status: 'FINISHED' }), buildRun({ status: 'CRASHED' })],
        nextCursor: null,
      }),
    ).toBe(false);
  });

  it('polls an empty runs table so the first run a trainer logs shows up without a reload', () => {
    const options = getRunsQueryOptions('vision', { sort: '-createdAt' });
    expect(intervalFor(options, { runs: [], nextCursor: null })).toBe(5000);
  });

  it('polls the run page while the run is RUNNING', () => {
    const options = getRunQueryOptions('vision', 'r1');
    expect(intervalFor(options, buildRun({ status: 'RUNNING' }))).toBe(5000);
    expect(intervalFor(options, buildRun({ status: 'FINISHED' }))).toBe(false);
  });
});
