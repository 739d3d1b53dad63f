import { vi } from 'vitest';

/**
 * jsdom has no canvas; uPlot only needs a 2D context whose calls do nothing. Every method is a
 * no-op and `measureText` reports zero width, which is enough to lay out axes and legends.
 */
export function stubCanvas() {
  const ctx = new Proxy(
    {},
    {
      get: (_target, prop) => {
        if (prop === 'measureText') return () => ({ width: 0 });
        if (prop === 'canvas') return document.createElement('canvas');
        return () => {};
      },
      set: () => true,
    },
  );
  class Path2DStub {
    moveTo() {}
    lineTo() {}
    rect() {}
    arc() {}
    closePath() {}
    bezierCurveTo() {}
    quadraticCurveTo() {}
    addPath() {}
  }
  vi.stubGlobal('Path2D', Path2DStub);
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
    () => ctx as unknown as CanvasRenderingContext2D,
  );
}
