// A small hand-drawn SVG line chart: the last N points, y from 0 to the max seen.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 240;
const HEIGHT = 80;

export interface LineChart {
  element: HTMLElement;
  push(value: number): void;
  points(): number;
}

export function lineChart(title: string, testId: string, format: (v: number) => string, capacity = 60): LineChart {
  const values: number[] = [];
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('width', String(WIDTH));
  svg.setAttribute('height', String(HEIGHT));
  const polyline = document.createElementNS(SVG, 'polyline');
  polyline.setAttribute('fill', 'none');
  polyline.setAttribute('stroke', 'currentColor');
  polyline.setAttribute('stroke-width', '2');
  svg.append(polyline);
  const label = document.createElement('div');
  label.className = 'chart-label';
  const element = document.createElement('figure');
  element.className = 'chart';
  element.dataset.testid = testId;
  element.dataset.points = '0';
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  element.append(caption, svg, label);

  function redraw(): void {
    const max = Math.max(...values, 1e-9);
    const step = values.length > 1 ? WIDTH / (capacity - 1) : 0;
    const coords = values.map((v, i) => `${(i * step).toFixed(1)},${(HEIGHT - 4 - (v / max) * (HEIGHT - 8)).toFixed(1)}`);
    // One point alone draws as a short flat segment so it is visible.
    if (coords.length === 1) coords.push(`4,${coords[0]!.split(',')[1]}`);
    polyline.setAttribute('points', coords.join(' '));
    label.textContent = values.length ? `now ${format(values[values.length - 1]!)} · max ${format(max)}` : 'no data yet';
    element.dataset.points = String(values.length);
  }
  redraw();
  return {
    element,
    push(value) {
      values.push(Number.isFinite(value) ? value : 0);
      if (values.length > capacity) values.shift();
      redraw();
    },
    points: () => values.length,
  };
}
