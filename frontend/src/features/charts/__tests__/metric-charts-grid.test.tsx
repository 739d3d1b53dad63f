import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MetricChartsGrid } from '@/features/charts/components/metric-charts-grid';
import { stubCanvas } from '@/testing/canvas-stub';
import { buildMetricStats, buildSeries } from '@/testing/data';
import { mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/test-utils';

const RUN = '/projects/vision/runs/r1';
const KEYS = ['train/loss', 'val/loss', 'lr', '<img src=x onerror=alert(1)>'];

function mockRunMetrics() {
  return mockFetch([
    { path: `${RUN}/metrics`, body: { metrics: KEYS.map((k) => buildMetricStats(k)) } },
    {
      path: `${RUN}/series`,
      respond: (call) => {
        const key = call.url.searchParams.get('key')!;
        const from = call.url.searchParams.get('from');
        return {
          body: buildSeries(key, from ? [5, 6, 7] : [1, 2, 3, 4], { total: from ? 3 : 100_000, downsampled: !from }),
        };
      },
    },
  ]);
}

describe('run charts grid', () => {
  beforeEach(() => stubCanvas());

  it('draws one chart per metric key, fetching every series in parallel with maxPoints', async () => {
    const api = mockRunMetrics();
    renderWithProviders(<MetricChartsGrid slug="vision" runId="r1" live={false} />);

    for (const key of KEYS) {
      const chart = await screen.findByTestId(`chart-${key}`);
      await waitFor(() => expect(chart.querySelector('.uplot')).not.toBeNull());
    }
    const seriesCalls = api.calls.filter((c) => c.path === `${RUN}/series`);
    expect(seriesCalls.map((c) => c.url.searchParams.get('key')).sort()).toEqual([...KEYS].sort());
    seriesCalls.forEach((c) => {
      expect(c.url.searchParams.get('maxPoints')).toBe('1000');
      expect(c.url.searchParams.get('x')).toBe('step');
    });
    expect(screen.getByTestId('chart-train/loss')).toHaveTextContent('4 of 100,000 pts');
    expect(screen.getByTestId('metric-summary-table')).toBeInTheDocument();
  });

  it('writes metric keys into chart titles and uPlot legends as text, never as HTML', async () => {
    mockRunMetrics();
    const { container } = renderWithProviders(<MetricChartsGrid slug="vision" runId="r1" live={false} />);
    const chart = await screen.findByTestId('chart-<img src=x onerror=alert(1)>');
    await waitFor(() => expect(chart.querySelector('.u-legend')).not.toBeNull());
    expect(within(chart).getAllByText('<img src=x onerror=alert(1)>').length).toBeGreaterThanOrEqual(2);
    expect(container.querySelector('img')).toBeNull();
  });

  it('refetches the selected x range at full resolution when the user drags to zoom', async () => {
    // jsdom lays nothing out; give uPlot's plotting area a size so the mouse maps to x values.
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({
      left: 0,
      top: 0,
      width: 300,
      height: 150,
      right: 300,
      bottom: 150,
      x: 0,
      y: 0,
      toJSON: () => ({}),
    });
    const api = mockRunMetrics();
    renderWithProviders(<MetricChartsGrid slug="vision" runId="r1" live={false} />);
    const chart = await screen.findByTestId('chart-train/loss');
    await waitFor(() => expect(chart.querySelector('.u-over')).not.toBeNull());

    const over = chart.querySelector('.u-over') as HTMLElement;
    fireEvent.mouseDown(over, { clientX: 100, clientY: 50, button: 0 });
    fireEvent.mouseMove(over, { clientX: 250, clientY: 50, movementX: 150 });
    fireEvent.mouseUp(document, { clientX: 250, clientY: 50, button: 0 });

    await waitFor(() => {
      const zoomed = api.calls.filter((c) => c.path === `${RUN}/series` && c.url.searchParams.has('from'));
      expect(zoomed).toHaveLength(1);
      expect(zoomed[0].url.searchParams.get('key')).toBe('train/loss');
      expect(Number(zoomed[0].url.searchParams.get('to'))).toBeGreaterThan(
        Number(zoomed[0].url.searchParams.get('from')),
      );
    });
    await userEvent.click(await within(chart).findByTestId('chart-reset-zoom'));
    expect(within(chart).queryByTestId('chart-reset-zoom')).toBeNull();
  });

  it('switches every chart to epoch on the x axis', async () => {
    const api = mockRunMetrics();
    renderWithProviders(<MetricChartsGrid slug="vision" runId="r1" live={false} />);
    await screen.findByTestId('chart-lr');
    await userEvent.click(screen.getByTestId('x-axis-epoch'));
    await waitFor(() =>
      expect(
        api.calls
          .filter((c) => c.url.searchParams.get('x') === 'epoch')
          .map((c) => c.url.searchParams.get('key'))
          .sort(),
      ).toEqual([...KEYS].sort()),
    );
  });

  it('tells how to log metrics when the run has none', async () => {
    mockFetch([{ path: `${RUN}/metrics`, body: { metrics: [] } }]);
    renderWithProviders(<MetricChartsGrid slug="vision" runId="r1" live />);
    expect(await screen.findByTestId('metrics-empty')).toHaveTextContent('run.log("train/loss", 0.42)');
  });
});
