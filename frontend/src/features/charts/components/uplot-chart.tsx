import { useEffect, useLayoutEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

type UplotChartProps = {
  /** Changing the options object re-creates the chart; keep it memoized. */
  options: ChartOptions;
  /** Changing only the data updates the existing chart in place (cheap, keeps zoom/cursor state). */
  data: uPlot.AlignedData;
  height?: number;
  /** Called with the x range of a drag selection (the chart itself does not zoom). */
  onSelectX?: (from: number, to: number) => void;
  /** Called on double click, e.g. to reset a zoom. */
  onResetX?: () => void;
  ariaLabel: string;
};

const FALLBACK_WIDTH = 400;

/**
 * Thin React wrapper around one uPlot instance. Sets `data-drawn="true"` on its element after the
 * first draw (browser tests wait on it). uPlot writes series labels with textContent, never HTML.
 */
export function UplotChart({ options, data, height = 220, onSelectX, onResetX, ariaLabel }: UplotChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  const selectRef = useRef(onSelectX);
  const resetRef = useRef(onResetX);
  // Declared before the effect that creates the chart, so that effect already sees the latest values.
  useLayoutEffect(() => {
    dataRef.current = data;
    selectRef.current = onSelectX;
    resetRef.current = onResetX;
  });

  useLayoutEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const width = el.clientWidth || FALLBACK_WIDTH;
    const opts: uPlot.Options = {
      ...options,
      width,
      height,
      cursor: {
        ...options.cursor,
        drag: { x: true, y: false, setScale: false, ...options.cursor?.drag },
      },
      hooks: {
        ...options.hooks,
        draw: [
          ...(options.hooks?.draw ?? []),
          () => {
            el.dataset.drawn = 'true';
          },
        ],
        setSelect: [
          ...(options.hooks?.setSelect ?? []),
          (u) => {
            const { left, width: w } = u.select;
            if (w < 4) return;
            const from = u.posToVal(left, 'x');
            const to = u.posToVal(left + w, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            selectRef.current?.(Math.min(from, to), Math.max(from, to));
          },
        ],
      },
    };
    const plot = new uPlot(opts, dataRef.current, el);
    plotRef.current = plot;

    const onDblClick = () => resetRef.current?.();
    plot.over.addEventListener('dblclick', onDblClick);

    let ro: ResizeObserver | undefined;
    if (typeof ResizeObserver !== 'undefined') {
      let lastWidth = width;
      ro = new ResizeObserver(() => {
        const w = el.clientWidth;
        if (w > 0 && Math.abs(w - lastWidth) > 1) {
          lastWidth = w;
          plot.setSize({ width: w, height });
        }
      });
      ro.observe(el);
    }
    return () => {
      ro?.disconnect();
      plot.over.removeEventListener('dblclick', onDblClick);
      plot.destroy();
      plotRef.current = null;
      delete el.dataset.drawn;
    };
  }, [options, height]);

  const firstData = useRef(true);
  useEffect(() => {
    // The creating effect already drew the initial data.
    if (firstData.current) {
      firstData.current = false;
      return;
    }
    plotRef.current?.setData(data);
  }, [data]);

  return <div ref={containerRef} className="uplot-host" role="figure" aria-label={ariaLabel} />;
}
