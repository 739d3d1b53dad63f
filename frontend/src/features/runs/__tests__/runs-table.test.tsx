import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RunsView } from '@/features/runs/components/runs-view';
import { buildRunListParams, parseColumn, toggleSort, validateFilter } from '@/features/runs/utils/run-columns';
import { buildRun } from '@/testing/data';
import { mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/test-utils';

const summary = {
  'val/acc': { min: 0.5, max: 0.91234, mean: 0.8, std: 0.1, last: 0.9, n: 10, first_step: 0, last_step: 9 },
};

describe('runs table', () => {
  it('shows status, name, group, tags, created and the chosen config and summary columns', async () => {
    mockFetch([
      {
        path: '/projects/vision/runs',
        body: {
          runs: [
            buildRun({
              name: 'resnet-a',
              status: 'RUNNING',
              group: 'sweep',
              tags: ['cnn', 'fast'],
              config: { lr: 0.01 },
              summary,
            }),
            buildRun({ name: 'resnet-b', status: 'FAILED', config: { lr: 0.1 } }),
          ],
          nextCursor: null,
        },
      },
    ]);
    renderWithProviders(<RunsView slug="vision" canWrite />, { url: '/?col=config.lr&col=summary.val/acc.max' });

    const rows = await screen.findAllByTestId('run-row');
    expect(rows).toHaveLength(2);
    const first = within(rows[0]);
    expect(first.getByText('RUNNING')).toBeInTheDocument();
    expect(first.getByRole('link', { name: 'resnet-a' })).toHaveAttribute(
      'href',
      expect.stringContaining('/projects/vision/runs/'),
    );
    expect(first.getByText('sweep')).toBeInTheDocument();
    expect(first.getByText('cnn')).toBeInTheDocument();
    expect(first.getByTestId('cell-config.lr')).toHaveTextContent('0.01');
    expect(first.getByTestId('cell-summary.val/acc.max')).toHaveTextContent('0.9123');
    expect(within(rows[1]).getByTestId('cell-summary.val/acc.max')).toHaveTextContent('—');
    expect(screen.getByRole('columnheader', { name: /val\/acc\.max/ })).toBeInTheDocument();
  });

  it('asks the list for the summaries of the chosen summary columns', async () => {
    const api = mockFetch([
      { path: '/projects/vision/runs', body: { runs: [buildRun({ summary })], nextCursor: null } },
    ]);
    renderWithProviders(<RunsView slug="vision" canWrite />, {
      url: '/?col=summary.val/acc.max&col=summary.val/acc.last&col=config.lr',
    });
    await screen.findByTestId('run-row');
    expect(api.calls[0].url.searchParams.getAll('summaryKey')).toEqual(['val/acc']);
    expect(api.calls.filter((c) => c.path.endsWith('/summary'))).toHaveLength(0);
  });

  it('loads summary stats per row when the list items carry none', async () => {
    const run = buildRun({ name: 'no-summary' });
    const api = mockFetch([
      { path: '/projects/vision/runs', body: { runs: [run], nextCursor: null } },
      { path: `/projects/vision/runs/${run.id}/summary`, body: summary },
    ]);
    renderWithProviders(<RunsView slug="vision" canWrite />, { url: '/?col=summary.val/acc.max' });
    const row = await screen.findByTestId('run-row');
    await waitFor(() => expect(within(row).getByTestId('cell-summary.val/acc.max')).toHaveTextContent('0.9123'));
    expect(api.callsTo('GET', `/projects/vision/runs/${run.id}/summary`)).toHaveLength(1);
  });

  it('sorts and filters through the API parameters', async () => {
    const api = mockFetch([
      { path: '/projects/vision/runs', body: { runs: [buildRun({ name: 'only' })], nextCursor: null } },
    ]);
    renderWithProviders(<RunsView slug="vision" canWrite />, { url: '/?col=summary.val/acc.max' });
    await screen.findByText('only');
    expect(api.calls[0].url.searchParams.get('sort')).toBe('-createdAt');

    await userEvent.click(screen.getByTestId('sort-summary.val/acc.max'));
    await waitFor(() => expect(api.calls.at(-1)!.url.searchParams.get('sort')).toBe('summary.val/acc.max'));
    await userEvent.click(screen.getByTestId('sort-summary.val/acc.max'));
    await waitFor(() => expect(api.calls.at(-1)!.url.searchParams.get('sort')).toBe('-summary.val/acc.max'));

    await userEvent.type(screen.getByTestId('runs-filter-input'), 'config.lr > 0.001{Enter}');
    await userEvent.type(screen.getByTestId('runs-filter-input'), 'name ~ res{Enter}');
    await waitFor(() =>
      expect(api.calls.at(-1)!.url.searchParams.getAll('filter')).toEqual(['config.lr > 0.001', 'name ~ res']),
    );
    await userEvent.selectOptions(screen.getByTestId('runs-status-filter'), 'RUNNING');
    await waitFor(() => expect(api.calls.at(-1)!.url.searchParams.get('status')).toBe('RUNNING'));
  });

  it('filters by a tag when the tag is clicked', async () => {
    const api = mockFetch([
      { path: '/projects/vision/runs', body: { runs: [buildRun({ tags: ['cnn', 'fast'] })], nextCursor: null } },
    ]);
    renderWithProviders(<RunsView slug="vision" canWrite />);
    await userEvent.click(await screen.findByRole('button', { name: 'fast' }));
    await waitFor(() => expect(api.calls.at(-1)!.url.searchParams.getAll('tag')).toEqual(['fast']));
    expect(screen.getByTestId('runs-tag-filter')).toHaveTextContent('tag: fast');
  });

  it('rejects a malformed filter without calling the API', async () => {
    const api = mockFetch([{ path: '/projects/vision/runs', body: { runs: [buildRun()], nextCursor: null } }]);
    renderWithProviders(<RunsView slug="vision" canWrite />);
    await screen.findAllByTestId('run-row');
    const before = api.calls.length;
    await userEvent.type(screen.getByTestId('runs-filter-input'), 'lr bigger 3{Enter}');
    expect(await screen.findByText(/Use FIELD OP VALUE/)).toBeInTheDocument();
    expect(api.calls.length).toBe(before);
  });

  it('pages with the cursor the API returned', async () => {
    const api = mockFetch([
      {
        path: '/projects/vision/runs',
        respond: (call) =>
          call.url.searchParams.get('cursor') === 'c2'
            ? { body: { runs: [buildRun({ name: 'page-two' })], nextCursor: null } }
            : { body: { runs: [buildRun({ name: 'page-one' })], nextCursor: 'c2' } },
      },
    ]);
    renderWithProviders(<RunsView slug="vision" canWrite />);
    await screen.findByText('page-one');
    await userEvent.click(screen.getByTestId('runs-next-page'));
    await screen.findByText('page-two');
    expect(api.calls.at(-1)!.url.searchParams.get('cursor')).toBe('c2');
    expect(screen.getByTestId('runs-next-page')).toBeDisabled();
    await userEvent.click(screen.getByTestId('runs-prev-page'));
    await screen.findByText('page-one');
  });

  it('links the selected runs to the compare page and deletes a run after confirmation', async () => {
    const a = buildRun({ name: 'a' });
    const b = buildRun({ name: 'b' });
    const api = mockFetch([
      { path: '/projects/vision/runs', body: { runs: [a, b], nextCursor: null } },
      { method: 'DELETE', path: `/projects/vision/runs/${a.id}`, status: 204 },
    ]);
    document.cookie = 'XSRF-TOKEN=t; path=/';
    renderWithProviders(<RunsView slug="vision" canWrite />);
    const boxes = await screen.findAllByTestId('run-select');
    await userEvent.click(boxes[0]);
    await userEvent.click(boxes[1]);
    expect(screen.getByTestId('compare-selected')).toHaveAttribute(
      'href',
      `/projects/vision/compare?run=${a.id}&run=${b.id}`,
    );

    await userEvent.click(screen.getAllByTestId('run-delete')[0]);
    await userEvent.click(screen.getByTestId('run-delete-confirm'));
    await waitFor(() => expect(api.callsTo('DELETE', `/projects/vision/runs/${a.id}`)).toHaveLength(1));
    expect(api.callsTo('DELETE', `/projects/vision/runs/${a.id}`)[0].headers['x-xsrf-token']).toBe('t');
  });

  it('shows how to log a first run with the SDK when the project has no runs', async () => {
    mockFetch([{ path: '/projects/vision/runs', body: { runs: [], nextCursor: null } }]);
    renderWithProviders(<RunsView slug="vision" canWrite />);
    const snippet = await screen.findByTestId('sdk-snippet');
    expect(snippet).toHaveTextContent('Stepwise.builder()');
    expect(snippet).toHaveTextContent('.project("vision")');
    expect(snippet).toHaveTextContent('run.log("train/loss", 0.42');
  });

  it('builds run list parameters with repeated filters and no empty values', () => {
    expect(
      buildRunListParams({
        status: '',
        q: ' res ',
        filter: ['config.lr > 0.1', ' '],
        sort: '-createdAt',
        limit: 50,
        cursor: null,
      }),
    ).toEqual({
      status: undefined,
      group: undefined,
      tag: undefined,
      q: 'res',
      filter: ['config.lr > 0.1'],
      sort: '-createdAt',
      limit: 50,
      cursor: undefined,
    });
    expect(toggleSort('-createdAt', 'name')).toBe('name');
    expect(toggleSort('name', 'name')).toBe('-name');
    expect(toggleSort('-name', 'name')).toBe('name');
    expect(parseColumn('val/acc.max')).toEqual({
      kind: 'summary',
      key: 'val/acc',
      stat: 'max',
      id: 'summary.val/acc.max',
    });
    expect(parseColumn('config.optimizer')).toEqual({ kind: 'config', key: 'optimizer', id: 'config.optimizer' });
    expect(parseColumn('val/acc.median')).toBeNull();
    expect(validateFilter('summary.val/acc.max >= 0.9')).toBeNull();
  });
});
