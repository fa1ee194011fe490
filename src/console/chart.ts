import { html } from 'hono/html'
import type { Fragment } from './layout.ts'

/** One data series of a chart; `axis: 'pct'` puts it on a 0–100 % axis on the right. */
export interface Series {
  label: string
  data: number[]
  type?: 'bar' | 'line'
  axis?: 'y' | 'pct'
}

/**
 * A Chart.js chart: the data travels as JSON in an attribute (escaped like any other value) and
 * assets/console.js draws it, so no inline script is needed and the CSP can forbid them.
 */
export function chart(o: { label: string; labels: string[]; series: Series[]; type?: 'bar' | 'line' }): Fragment {
  const spec = JSON.stringify({ type: o.type ?? 'bar', labels: o.labels, series: o.series })
  return html`<div class="chart"><canvas role="img" aria-label="${o.label}" data-chart="${spec}"></canvas></div>`
}
