// Claims per day as an SVG stacked bar chart, with a brush that selects a date range.

import {
  clear, el, fmtInt, sideColour, sideSwatch, sortSides, svg,
} from './dom.js';

const DAY = 86400000;
const MARGIN = { top: 12, right: 12, bottom: 34, left: 40 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function toTime(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function toIso(time) {
  return new Date(time).toISOString().slice(0, 10);
}

function niceMax(value) {
  if (value <= 5) return Math.max(1, value);
  const step = 10 ** Math.floor(Math.log10(value));
  for (const k of [1, 2, 2.5, 5, 10]) if (k * step >= value) return k * step;
  return value;
}

export class Timeline {
  /**
   * @param {HTMLElement} node chart container
   * @param {HTMLElement} legend legend container
   * @param {(since: string|null, until: string|null) => void} onBrush
   */
  constructor(node, legend, onBrush) {
    this.node = node;
    this.legend = legend;
    this.onBrush = onBrush;
    this.data = null;
    this.range = { since: null, until: null };
    this.tip = el('div', { class: 'chart-tip', role: 'status' });
    this.tip.hidden = true;
    let width = 0;
    this.resize = new ResizeObserver(() => {
      if (this.node.clientWidth && this.node.clientWidth !== width) {
        width = this.node.clientWidth;
        this.render();
      }
    });
    this.resize.observe(node);
  }

  setData(data) {
    this.data = { ...data, sides: sortSides(data.sides || []) };
    this.render();
  }

  setRange(since, until) {
    this.range = { since: since || null, until: until || null };
    this.highlight();
  }

  /** Days from the first to the last dated claim (widened to the selected range). */
  domain() {
    const days = this.data.days.map((d) => d.date).filter(Boolean);
    let first = toTime(days[0]);
    let last = toTime(days[days.length - 1]);
    if (days.length === 1) {
      first -= 3 * DAY;
      last += 3 * DAY;
    }
    return { first, last, count: Math.round((last - first) / DAY) + 1 };
  }

  render() {
    clear(this.node);
    clear(this.legend);
    if (!this.data) return;
    const width = Math.max(280, this.node.clientWidth || 480);
    const height = Math.max(180, this.node.clientHeight || 260);
    if (!this.data.days.length) {
      this.node.append(el('p', { class: 'chart-empty' },
        this.data.undated ? `No dated claims (${fmtInt(this.data.undated)} undated).` : 'No claims to chart.'));
      return;
    }
    const { first, count } = this.domain();
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = height - MARGIN.top - MARGIN.bottom;
    const band = plotW / count;
    const barW = Math.max(1, Math.min(band * 0.82, 48));
    const max = niceMax(Math.max(...this.data.days.map((d) => d.total)));
    const y = (v) => plotH - (v / max) * plotH;
    const sides = this.data.sides;
    this.geom = { first, count, band, plotW, plotH };

    const root = svg('svg', {
      class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': `Claims per day by ${this.data.by === 'actor_side' ? 'acting' : 'claimant'} side`,
    });
    const plot = svg('g', { transform: `translate(${MARGIN.left},${MARGIN.top})` });
    root.append(plot);

    // y axis: gridlines at 0, half, max
    const ticks = max <= 4 ? [...Array(max + 1).keys()] : [0, max / 2, max];
    for (const t of ticks) {
      plot.append(
        svg('line', { class: 'grid', x1: 0, x2: plotW, y1: y(t), y2: y(t) }),
        svg('text', { class: 'axis-label', x: -6, y: y(t) + 4, 'text-anchor': 'end' }, fmtInt(t)),
      );
    }

    // bars
    this.bars = svg('g', { class: 'bars' });
    for (const day of this.data.days) {
      const i = Math.round((toTime(day.date) - first) / DAY);
      const x = i * band + (band - barW) / 2;
      const group = svg('g', { class: 'day', 'data-date': day.date });
      let acc = 0;
      for (const side of sides) {
        const n = day.counts[side] || 0;
        if (!n) continue;
        const rect = svg('rect', {
          x, width: barW, y: y(acc + n), height: Math.max(0.5, y(acc) - y(acc + n)), class: 'bar',
        });
        rect.style.fill = sideColour(side);
        group.append(rect);
        acc += n;
      }
      this.bars.append(group);
    }
    plot.append(this.bars);

    // x axis: a handful of dates
    plot.append(svg('line', { class: 'axis', x1: 0, x2: plotW, y1: plotH, y2: plotH }));
    const labels = Math.max(2, Math.min(count, Math.floor(plotW / 80)));
    const step = Math.max(1, Math.round((count - 1) / (labels - 1)));
    let lastYear = null;
    for (let i = 0; i < count; i += step) {
      const date = new Date(first + i * DAY);
      const x = i * band + band / 2;
      const year = date.getUTCFullYear();
      plot.append(svg('line', { class: 'tick', x1: x, x2: x, y1: plotH, y2: plotH + 4 }));
      plot.append(svg('text', { class: 'axis-label', x, y: plotH + 16, 'text-anchor': 'middle' },
        `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`));
      if (year !== lastYear) {
        plot.append(svg('text', { class: 'axis-label year', x, y: plotH + 29, 'text-anchor': 'middle' }, String(year)));
        lastYear = year;
      }
    }

    // selected range, brush rectangle, and the capture layer on top
    this.selection = svg('rect', { class: 'range', y: 0, height: plotH, x: 0, width: 0 });
    this.brushRect = svg('rect', { class: 'brush', y: 0, height: plotH, x: 0, width: 0 });
    this.selection.style.display = 'none';
    this.brushRect.style.display = 'none';
    const capture = svg('rect', { class: 'capture', x: 0, y: 0, width: plotW, height: plotH });
    plot.append(this.selection, this.brushRect, capture);
    this.attachBrush(capture, root);

    this.node.append(root, this.tip);
    this.renderLegend();
    this.highlight();
  }

  renderLegend() {
    const totals = {};
    for (const day of this.data.days) {
      for (const [side, n] of Object.entries(day.counts)) totals[side] = (totals[side] || 0) + n;
    }
    for (const side of this.data.sides) {
      this.legend.append(el('span', { class: 'legend-item' }, sideSwatch(side), side,
        el('span', { class: 'muted' }, ` ${fmtInt(totals[side] || 0)}`)));
    }
    if (this.data.undated) {
      this.legend.append(el('span', { class: 'legend-item muted' }, `${fmtInt(this.data.undated)} undated`));
    }
  }

  dayAt(px) {
    const { band, count } = this.geom;
    return Math.min(count - 1, Math.max(0, Math.floor(px / band)));
  }

  localX(event, capture) {
    const box = capture.getBoundingClientRect();
    return Math.min(box.width, Math.max(0, event.clientX - box.left)) * (this.geom.plotW / box.width);
  }

  attachBrush(capture, root) {
    let start = null;
    const draw = (a, b) => {
      const { band } = this.geom;
      const i0 = this.dayAt(Math.min(a, b));
      const i1 = this.dayAt(Math.max(a, b));
      this.brushRect.setAttribute('x', i0 * band);
      this.brushRect.setAttribute('width', (i1 - i0 + 1) * band);
      this.brushRect.style.display = '';
      return [i0, i1];
    };
    capture.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      ev.preventDefault();
      capture.setPointerCapture(ev.pointerId);
      start = this.localX(ev, capture);
      draw(start, start);
      root.classList.add('brushing');
    });
    capture.addEventListener('pointermove', (ev) => {
      const x = this.localX(ev, capture);
      if (start !== null) draw(start, x);
      this.showTip(ev, this.dayAt(x));
    });
    capture.addEventListener('pointerleave', () => {
      this.tip.hidden = true;
    });
    const finish = (ev, apply) => {
      if (start === null) return;
      const [i0, i1] = draw(start, this.localX(ev, capture));
      start = null;
      root.classList.remove('brushing');
      this.brushRect.style.display = 'none';
      if (apply) {
        const { first } = this.geom;
        this.onBrush(toIso(first + i0 * DAY), toIso(first + i1 * DAY));
      }
    };
    capture.addEventListener('pointerup', (ev) => finish(ev, true));
    capture.addEventListener('pointercancel', (ev) => finish(ev, false));
  }

  showTip(ev, index) {
    const iso = toIso(this.geom.first + index * DAY);
    const day = this.data.days.find((d) => d.date === iso);
    const parts = day
      ? this.data.sides.filter((s) => day.counts[s]).map((s) => `${s} ${day.counts[s]}`).join(', ')
      : '';
    this.tip.textContent = day ? `${iso}: ${fmtInt(day.total)} claims (${parts})` : `${iso}: no claims`;
    this.tip.hidden = false;
    const box = this.node.getBoundingClientRect();
    const left = Math.min(box.width - 200, Math.max(0, ev.clientX - box.left + 12));
    this.tip.style.left = `${left}px`;
    this.tip.style.top = `${Math.max(0, ev.clientY - box.top - 34)}px`;
  }

  /** Show the selected range: a band behind it and the days outside it dimmed. */
  highlight() {
    if (!this.geom || !this.bars) return;
    const { since, until } = this.range;
    const { first, count, band } = this.geom;
    const active = Boolean(since || until);
    for (const group of this.bars.children) {
      const d = group.dataset.date;
      const inside = (!since || d >= since) && (!until || d <= until);
      group.classList.toggle('dim', active && !inside);
    }
    if (!active) {
      this.selection.style.display = 'none';
      return;
    }
    const i0 = since ? Math.round((toTime(since) - first) / DAY) : 0;
    const i1 = until ? Math.round((toTime(until) - first) / DAY) : count - 1;
    const a = Math.max(0, i0);
    const b = Math.min(count - 1, i1);
    if (b < a) {
      this.selection.style.display = 'none';
      return;
    }
    this.selection.setAttribute('x', a * band);
    this.selection.setAttribute('width', (b - a + 1) * band);
    this.selection.style.display = '';
  }
}
