// The claims map: Leaflet without tiles, countries from the bundled TopoJSON atlas as the base,
// one circle per (place, acting side, status) group, clustered.
/* global L, topojson */

import { getJSON, isAbort } from './api.js';
import {
  articleHref, clear, el, eventLabel, fmtInt, placeLink, sideChip, sideColour, statusBadge,
} from './dom.js';

const ATLAS = '/static/vendor/atlas/countries-50m.json';
const DEFAULT_VIEW = { center: [48.5, 35], zoom: 5 };
const PLACE_LABELS = 40;

/** Stroke by status: corroborated solid and thick, contested dashed, single source thin. */
const STATUS_STYLE = {
  corroborated: { weight: 3, dashArray: null, fillOpacity: 0.85, color: '#1b1b1b' },
  contested: { weight: 2.5, dashArray: '5 3', fillOpacity: 0.6, color: '#1b1b1b' },
  'single-source': { weight: 1.2, dashArray: null, fillOpacity: 0.3, color: null },
};

function cssToken(value) {
  return String(value || 'UNKNOWN').replace(/[^A-Za-z0-9_-]/g, '_');
}

export function markerStyle(point) {
  const st = STATUS_STYLE[point.status] || STATUS_STYLE['single-source'];
  const fill = sideColour(point.actor_side);
  return {
    radius: 5 + 3.2 * Math.sqrt(point.claims),
    fillColor: fill,
    color: st.color || fill,
    weight: st.weight,
    dashArray: st.dashArray,
    fillOpacity: st.fillOpacity,
    opacity: 1,
    className: `fow-marker fow-side-${cssToken(point.actor_side)} fow-status-${cssToken(point.status)}`,
  };
}

export class ClaimMap {
  /**
   * @param {HTMLElement} node the map container
   * @param {{navigate: Function, filterTo: Function}} hooks
   */
  constructor(node, hooks) {
    this.hooks = hooks;
    this.markers = [];
    this.layers = [];
    this.fitted = false;
    this.map = L.map(node, {
      center: DEFAULT_VIEW.center,
      zoom: DEFAULT_VIEW.zoom,
      minZoom: 2,
      maxZoom: 14,
      zoomSnap: 0.5,
      worldCopyJump: true,
    });
    this.map.attributionControl.setPrefix('Leaflet');
    this.map.attributionControl.addAttribution('Borders: Natural Earth via world-atlas');
    this.map.createPane('basemap').style.zIndex = 250;
    this.cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 36,
      spiderfyOnMaxZoom: true,
      spiderfyDistanceMultiplier: 1.6,
      iconCreateFunction: (cluster) => this.clusterIcon(cluster),
    });
    this.map.addLayer(this.cluster);
    this.labels = L.layerGroup().addTo(this.map);
    this.map.on('zoomend moveend', () => this.declutterLabels());
    this.addFitControl();
    this.basemap = this.loadBasemap();
  }

  async loadBasemap() {
    try {
      const topo = await getJSON(ATLAS);
      const countries = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(countries, {
        pane: 'basemap',
        interactive: false,
        renderer: L.canvas({ pane: 'basemap', padding: 0.3 }),
        style: { color: '#a3a3a3', weight: 0.8, fillColor: '#f3f1ea', fillOpacity: 1 },
      }).addTo(this.map);
    } catch (err) {
      // The markers still work on the plain background.
      console.warn('base map unavailable:', err.message);
    }
  }

  addFitControl() {
    const FitControl = L.Control.extend({
      options: { position: 'topleft' },
      onAdd: () => {
        const bar = el('div', { class: 'leaflet-bar' });
        const button = el('a', {
          class: 'fit-button', href: '#', role: 'button', title: 'Fit the map to the markers',
          'aria-label': 'Fit the map to the markers',
        }, '⤢');
        L.DomEvent.on(button, 'click', (ev) => {
          L.DomEvent.stop(ev);
          this.fit(true);
        });
        L.DomEvent.disableClickPropagation(bar);
        bar.append(button);
        return bar;
      },
    });
    this.map.addControl(new FitControl());
  }

  clusterIcon(cluster) {
    const children = cluster.getAllChildMarkers();
    const bySide = new Map();
    let total = 0;
    for (const m of children) {
      total += m.options.claims;
      bySide.set(m.options.side, (bySide.get(m.options.side) || 0) + m.options.claims);
    }
    let start = 0;
    const stops = [];
    for (const [side, n] of [...bySide].sort((a, b) => b[1] - a[1])) {
      const end = start + (360 * n) / total;
      stops.push(`${sideColour(side)} ${start}deg ${end}deg`);
      start = end;
    }
    const size = Math.round(26 + 6 * Math.log2(1 + total));
    const ring = el('div', { class: 'fow-cluster-ring' });
    ring.style.background = `conic-gradient(${stops.join(', ')})`;
    const label = el('span', { class: 'fow-cluster-count' }, fmtInt(total));
    ring.append(label);
    const sides = [...bySide].map(([s, n]) => `${s} ${n}`).join(', ');
    ring.dataset.places = [...new Set(children.map((m) => m.options.place))].sort().join('|');
    ring.title = `${total} claims in ${children.length} groups (${sides}); click to zoom in`;
    return L.divIcon({ html: ring, className: 'fow-cluster', iconSize: L.point(size, size) });
  }

  /** Replace the markers by the points of /api/map; fit them when asked or on the first load. */
  setPoints(points, { fit = false } = {}) {
    this.cluster.clearLayers();
    this.layers = [];
    this.markers = [];
    for (const point of points) {
      if (typeof point.lat !== 'number' || typeof point.lon !== 'number') continue;
      const marker = L.circleMarker([point.lat, point.lon], {
        ...markerStyle(point),
        claims: point.claims,
        side: point.actor_side,
        place: point.place,
      });
      // Tooltip and popup content are DOM elements: Leaflet would read strings as HTML.
      marker.bindTooltip(el('span', {},
        `${point.place} · ${point.actor_side} · ${point.status} · ${fmtInt(point.claims)} claim${point.claims === 1 ? '' : 's'}`),
      { direction: 'top', sticky: true, className: 'fow-tooltip' });
      // Built when it opens (its claims are fetched then); a function as content would be
      // called again on every popup.update().
      marker.bindPopup(el('div', { class: 'fow-popup' }), { minWidth: 280, maxWidth: 380, autoPanPadding: [20, 20] });
      marker.on('popupopen', (ev) => ev.popup.setContent(this.popup(point, marker)));
      this.layers.push(marker);
      this.markers.push({
        place: point.place, place_id: point.place_id, actor_side: point.actor_side,
        status: point.status, claims: point.claims, latest: point.latest, lat: point.lat, lon: point.lon,
      });
    }
    this.cluster.addLayers(this.layers);
    this.setLabels(points);
    if (fit || !this.fitted) this.fit(false);
  }

  /** Names of the places with the most claims (the base map has no labels of its own). */
  setLabels(points) {
    this.labels.clearLayers();
    const places = new Map();
    for (const p of points) {
      if (typeof p.lat !== 'number' || typeof p.lon !== 'number') continue;
      const key = p.place_id || p.place;
      const entry = places.get(key) || { name: p.place, lat: p.lat, lon: p.lon, claims: 0 };
      entry.claims += p.claims;
      places.set(key, entry);
    }
    const top = [...places.values()].sort((a, b) => b.claims - a.claims).slice(0, PLACE_LABELS);
    for (const p of top) {
      L.tooltip({
        permanent: true, direction: 'right', offset: [10 + 2 * Math.sqrt(p.claims), 0],
        className: 'place-label', interactive: false, opacity: 1,
      }).setLatLng([p.lat, p.lon]).setContent(el('span', {}, p.name)).addTo(this.labels);
    }
    this.declutterLabels();
  }

  /** Hide a label that would overlap a label of a place with more claims. */
  declutterLabels() {
    const kept = [];
    for (const tip of this.labels.getLayers()) {
      const node = tip.getElement();
      if (!node) continue;
      node.style.visibility = '';
      const box = node.getBoundingClientRect();
      const clash = kept.some((k) => box.left < k.right + 4 && box.right + 4 > k.left
        && box.top < k.bottom && box.bottom > k.top);
      if (clash) node.style.visibility = 'hidden';
      else kept.push(box);
    }
  }

  fit(animate) {
    this.map.invalidateSize();
    if (this.layers.length) {
      const bounds = L.latLngBounds(this.layers.map((m) => m.getLatLng()));
      this.map.fitBounds(bounds.pad(0.3), { maxZoom: 7, animate });
      this.fitted = true;
    } else if (!this.fitted) {
      this.map.setView(DEFAULT_VIEW.center, DEFAULT_VIEW.zoom, { animate });
    }
  }

  invalidate() {
    this.map.invalidateSize();
  }

  /** The popup of a point: a DOM element; its newest claims are fetched when it opens. */
  popup(point, marker) {
    const list = el('ol', { class: 'popup-claims' }, el('li', { class: 'muted' }, 'loading the newest claims…'));
    const node = el('div', { class: 'fow-popup' },
      el('div', { class: 'popup-head' },
        el('strong', {}, placeLink(point.place)), ' ',
        sideChip(point.actor_side, `acting side: ${point.actor_side}`), ' ',
        statusBadge(point.status)),
      el('div', { class: 'muted small' },
        `${fmtInt(point.claims)} claim${point.claims === 1 ? '' : 's'} of actions by ${point.actor_side}`,
        point.latest ? ` · latest ${point.latest}` : ''),
      list,
      el('div', { class: 'popup-foot' },
        el('a', {
          href: '#', class: 'filter-link',
          onclick: (ev) => {
            ev.preventDefault();
            this.map.closePopup();
            this.hooks.filterTo({ place: point.place, status: point.status });
          },
        }, 'Show these in the table'), ' · ',
        el('a', { href: `#control/${encodeURIComponent(point.place)}` }, 'Control of this place'), ' · ',
        el('a', {
          href: '#', class: 'filter-link', title: 'claims at places within 25 km of this one',
          onclick: (ev) => {
            ev.preventDefault();
            this.map.closePopup();
            this.hooks.filterTo({ near: `${point.lat.toFixed(4)},${point.lon.toFixed(4)},25`, place: '' });
          },
        }, 'Within 25 km')));
    this.fillPopup(point, list, marker);
    return node;
  }

  async fillPopup(point, list, marker) {
    try {
      const filters = { ...this.hooks.filters() };
      delete filters.near;
      delete filters.place;
      const data = await getJSON('/api/claims', {
        ...filters,
        place_id: point.place_id,
        actor_side: point.actor_side,
        status: point.status,
        limit: 3,
        sort: '-date',
      });
      const own = data.claims;
      clear(list);
      if (!own.length) list.append(el('li', { class: 'muted' }, 'no claims to show'));
      for (const c of own) {
        list.append(el('li', {},
          el('div', { class: 'popup-claim-head' },
            el('strong', {}, c.source || 'unnamed source'), ' ', sideChip(c.source_side), ' ',
            eventLabel(c), ' ', el('span', { class: 'muted' }, c.date || 'undated')),
          el('div', { class: 'popup-evidence' }, c.evidence),
          el('a', { href: articleHref(c.article_id, c.id), class: 'open-article' }, 'open in article')));
      }
    } catch (err) {
      if (isAbort(err)) return;
      clear(list).append(el('li', { class: 'error' }, `could not load claims: ${err.message}`));
    }
    if (marker.getPopup()) marker.getPopup().update();
  }
}
