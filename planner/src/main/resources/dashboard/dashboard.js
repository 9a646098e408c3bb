// EdgeDI-MQ dashboard: renders the planner's /api/events stream (server-sent events).
// Plain JS and SVG, nothing loaded from elsewhere.
'use strict';
(function () {
  const PALETTE = ['#4cc9f0', '#f72585', '#ffd166', '#06d6a0', '#b388ff', '#ff8c42', '#8ecae6',
    '#e9ff70', '#ff6b6b', '#90be6d', '#f15bb5', '#00bbf9'];
  const SVG = 'http://www.w3.org/2000/svg';
  const MAX_FRAMES = 12;
  const colours = new Map();
  let frames = [];
  let selected = null; // a frame id the operator clicked, else follow the newest
  let state = null;
  let heroShown = null; // the frame id the hero shows, so it is only rebuilt when that changes
  const thumbs = new Map(); // frame id -> its element in the recent strip, reused across renders

  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s == null ? '' : s).replace(/[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const ms = (v) => v == null || isNaN(v) ? '–' : v >= 1000 ? (v / 1000).toFixed(2) + ' s'
    : v >= 100 ? v.toFixed(0) + ' ms' : v.toFixed(1) + ' ms';
  const num = (v, d) => v == null || isNaN(v) ? '–' : Number(v).toFixed(d);
  const pretty = (s) => String(s || '').replace(/[_-]/g, ' ');

  function colour(id) {
    if (!colours.has(id)) colours.set(id, PALETTE[colours.size % PALETTE.length]);
    return colours.get(id);
  }

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  // ---- header ----
  function renderHeader(s) {
    const info = s.info || {};
    $('meta').textContent = [info.model, info.planner && ('planner ' + info.planner),
      info.site && ('site ' + info.site), info.strategy].filter(Boolean).join(' · ');
    const lm = s.lastMinute || {};
    $('k-fps').textContent = num(lm.fps, 2);
    $('k-p50').textContent = ms(lm.p50);
    $('k-p95').textContent = ms(lm.p95);
    const t = s.totals || {};
    $('k-classified').textContent = t.classified || 0;
    $('k-queued').textContent = s.queued || 0;
    const usable = (s.workers || []).filter((w) => w.usable).length;
    $('k-workers').textContent = usable + ' / ' + (s.workers || []).length;
    setWarn('k-replans', t.replans, 'warn');
    setWarn('k-failed', t.failed, 'bad');
    setWarn('k-rejected', t.rejected, 'warn');
    $('clock').textContent = new Date(s.now).toLocaleTimeString();
    const b = $('broker');
    b.textContent = s.broker ? 'broker connected' : 'broker down';
    b.className = 'pill ' + (s.broker ? 'ok' : 'bad');
  }

  function setWarn(id, v, cls) {
    const e = $(id);
    e.textContent = v || 0;
    e.parentElement.classList.toggle(cls, (v || 0) > 0);
  }

  // ---- cluster ----
  function renderWorkers(list) {
    const box = $('workers');
    if (!list || list.length === 0) {
      box.innerHTML = '<div class="empty">no worker has reported yet</div>';
      return;
    }
    list.map((w) => w.id).sort().forEach(colour);
    const fastest = Math.max(...list.map((w) => w.gflops || 0), 1e-9);
    box.innerHTML = list.map((w) => {
      const c = colour(w.id);
      const seen = w.lastSeenAgoMs < 1500 ? 'just now' : (w.lastSeenAgoMs / 1000).toFixed(0) + ' s ago';
      const state = w.state + (w.state === 'online' && !w.usable ? ' (unusable)' : '');
      return '<div class="worker" data-worker="' + esc(w.id) + '" data-state="' + esc(w.state) +
        '" style="--c:' + c + '">' +
        '<div class="top"><span class="id">' + esc(w.id) + '</span><span class="badge">' + esc(state) + '</span></div>' +
        '<div class="speed">' + num(w.gflops, 1) + ' <small>GFLOP/s measured</small></div>' +
        '<div class="bar" title="speed relative to the fastest worker"><i style="width:' +
        (100 * (w.gflops || 0) / fastest).toFixed(0) + '%"></i></div>' +
        '<div class="grid">' +
        '<span>load/core <b>' + num(w.load, 2) + '</b></span>' +
        '<span>in flight <b>' + (w.inFlight || 0) + '</b></span>' +
        '<span>tiles done <b>' + (w.tiles || 0) + '</b></span>' +
        '<span>avg band <b>' + ms(w.avgBandMs) + '</b></span>' +
        '<span>last band <b>' + (w.lastPredictedMs ? ms(w.lastActualMs) : '–') + '</b></span>' +
        '<span>predicted <b>' + (w.lastPredictedMs ? ms(w.lastPredictedMs) : '–') + '</b></span>' +
        '<span>seen <b>' + seen + '</b></span>' +
        '</div></div>';
    }).join('');
  }

  // ---- a frame: image with band overlay ----
  function frameSvg(f, svg, detailed) {
    svg.setAttribute('viewBox', '0 0 ' + f.width + ' ' + f.height);
    svg.innerHTML = '';
    el('image', { href: f.image, x: 0, y: 0, width: f.width, height: f.height,
      preserveAspectRatio: 'none', style: 'image-rendering:pixelated' }, svg);
    if (f.windows && f.windows.length) {
      windowOverlay(f, svg, detailed);
      return;
    }
    const st = f.stages && f.stages[0];
    if (!st) return;
    const scale = f.height / st.height;
    st.bands.forEach((b, i) => {
      const y = b.start * scale;
      const h = Math.max(0.5, (b.end - b.start) * scale);
      const c = colour(b.worker);
      const g = el('g', { class: 'band-group' }, svg);
      const r = el('rect', { class: 'band', 'data-worker': b.worker, x: 0, y: y, width: f.width, height: h,
        fill: c, 'fill-opacity': detailed ? 0.22 : 0.3, stroke: c, 'stroke-opacity': 0.9 }, g);
      el('title', {}, r).textContent = b.worker + ' rows ' + b.start + '–' + b.end + ' of ' + st.height +
        ' · predicted ' + ms(b.predictedMs) + ' · actual ' + ms(b.actualMs);
      el('rect', { x: 0, y: y, width: detailed ? 5 : 12, height: h, fill: c }, g);
      if (detailed && h >= 16) {
        const t = el('text', { x: 9, y: y + 9 }, g);
        t.textContent = b.worker;
        const s = el('text', { x: 9, y: y + 16, class: 'sub' }, g);
        s.textContent = 'act ' + ms(b.actualMs) + ' · pred ' + ms(b.predictedMs);
      }
    });
  }

  // a strip cut into windows: each window framed, defects filled, its class written in it
  function windowOverlay(f, svg, detailed) {
    f.windows.forEach((w) => {
      const defect = w.className !== 'none';
      const c = defect ? '#ff6b6b' : '#4cc9f0';
      const g = el('g', { class: 'window' + (defect ? ' defect' : '') }, svg);
      const attrs = { x: w.x + 1, y: w.y + 1, width: w.width - 2, height: w.height - 2, fill: c,
        'fill-opacity': defect ? 0.22 : 0.04, stroke: c, 'stroke-opacity': defect ? 0.95 : 0.35,
        'stroke-width': defect ? 3 : 1 };
      if (w.trusted === false) attrs['stroke-dasharray'] = '8 5';
      const r = el('rect', attrs, g);
      el('title', {}, r).textContent = pretty(w.className) + ' ' + (100 * w.confidence).toFixed(1) + '% at (' +
        w.x + ', ' + w.y + ')' + (w.trusted === false ? ' · not trusted' : '');
      if (detailed && defect) {
        const t = el('text', { x: w.x + 8, y: w.y + 22, class: 'window-label' }, g);
        t.textContent = pretty(w.className) + ' ' + (100 * w.confidence).toFixed(0) + '%';
      }
    });
  }

  // every stage as a vertical strip, each mapped onto the image height
  function stageStrips(f) {
    const W = 9, GAP = 3, H = 200;
    const n = f.stages.length;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + (n * (W + GAP) - GAP) + ' ' + H);
    svg.setAttribute('id', 'stage-strips');
    f.stages.forEach((st, i) => {
      const scale = H / st.height;
      st.bands.forEach((b) => {
        const r = el('rect', { class: 'strip-band', x: i * (W + GAP), y: b.start * scale, width: W,
          height: Math.max(0.6, (b.end - b.start) * scale), fill: colour(b.worker),
          stroke: '#0b0f17', 'stroke-width': 0.5 }, svg);
        el('title', {}, r).textContent = 'stage ' + (i + 1) + ' [' + st.from + ',' + st.to + ') ' + b.worker +
          ' rows ' + b.start + '–' + b.end + ' of ' + st.height + ' · act ' + ms(b.actualMs) +
          ' · pred ' + ms(b.predictedMs);
      });
    });
    return svg;
  }

  function renderHero() {
    const f = (selected && frames.find((x) => x.id === selected)) || frames[0];
    const hero = $('hero');
    if (!f) {
      heroShown = null;
      hero.innerHTML = '<div class="empty big">waiting for frames…</div>';
      $('bands').innerHTML = '';
      $('latest-id').textContent = '';
      return;
    }
    if (heroShown === f.id + '|' + selected) return;
    heroShown = f.id + '|' + selected;
    $('latest-id').textContent = f.id + ' · ' + f.line + '/' + f.camera + (selected ? ' (pinned: click it again to follow)' : '');
    hero.innerHTML = '';
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('id', 'hero-svg');
    if (f.width > f.height * 1.2) svg.classList.add('wide');
    hero.appendChild(svg);
    frameSvg(f, svg, true);
    const strips = document.createElement('div');
    strips.className = 'strips';
    strips.appendChild(stageStrips(f));
    const cap = document.createElement('div');
    cap.className = 'cap';
    cap.textContent = f.stages.length + ' stages' + (f.windows && f.windows.length
      ? ' (verdict window of ' + f.windows.length + ')' : '');
    strips.appendChild(cap);
    hero.appendChild(strips);

    const v = document.createElement('div');
    v.className = 'verdict';
    const order = f.scores.map((p, i) => i).sort((a, b) => f.scores[b] - f.scores[a]);
    let label = '';
    if (f.label) {
      const ok = f.label === f.className;
      label = '<div class="label">label <b>' + esc(pretty(f.label)) + '</b> ' +
        (ok ? '<span class="yes">✓ agrees</span>' : '<span class="no">✗ differs</span>') + '</div>';
    }
    const total = Math.max(f.latencyMs, f.queueMs + f.computeMs + f.transferMs, 1e-6);
    v.innerHTML = '<div class="cls" id="hero-class">' + esc(pretty(f.className)) + '</div>' +
      '<div class="conf">confidence ' + (100 * f.confidence).toFixed(1) + '%</div>' +
      (f.trusted === false ? '<div class="untrusted">not trusted: ' +
        esc((f.untrustedReasons || []).map((r) => r.toLowerCase().replace(/_/g, ' ')).join(', ')) +
        ' (check by hand)</div>' : '') + label +
      '<div class="scores">' + order.map((i) => {
        const p = f.scores[i];
        const top = i === f.classIndex ? ' top' : '';
        return '<span class="' + top + '">' + esc(pretty(f.classNames[i])) + '</span>' +
          '<div class="bar"><i style="width:' + (100 * p).toFixed(1) + '%;' + (top ? '' : 'background:#5a6785') + '"></i></div>' +
          '<span class="num">' + (100 * p).toFixed(1) + '%</span>';
      }).join('') + '</div>' +
      '<div class="timing">latency <b>' + ms(f.latencyMs) + '</b> at the planner' +
      '<div class="split"><i class="q" style="width:' + (100 * f.queueMs / total) + '%"></i>' +
      '<i class="c" style="width:' + (100 * f.computeMs / total) + '%"></i>' +
      '<i class="t" style="width:' + (100 * f.transferMs / total) + '%"></i></div>' +
      '<div class="keys"><span><i style="background:#8b97b0"></i>queue ' + ms(f.queueMs) + '</span>' +
      '<span><i style="background:#4cc9f0"></i>compute ' + ms(f.computeMs) + '</span>' +
      '<span><i style="background:#b388ff"></i>transfer/reduce ' + ms(f.transferMs) + '</span></div>' +
      '<div class="dim" style="margin-top:6px;font-size:12px">plan ' + esc(f.planId) + ' · ' + esc(f.planner) + '</div></div>';
    hero.appendChild(v);
    renderBandTable(f);
  }

  // per worker over all stages: predicted and actual time, with the first stage's rows
  function renderBandTable(f) {
    const per = new Map();
    f.stages.forEach((st, si) => st.bands.forEach((b) => {
      const r = per.get(b.worker) || { pred: 0, act: 0, bands: 0, rows: '' };
      r.pred += b.predictedMs;
      r.act += Math.max(0, b.actualMs);
      r.bands++;
      if (si === 0) r.rows = b.start + '–' + b.end + ' / ' + st.height;
      per.set(b.worker, r);
    }));
    const first = f.stages[0];
    let html = '<tr><th>worker</th><th>stage-1 rows</th><th class="n">stage-1 pred</th><th class="n">stage-1 act</th>' +
      '<th class="n">bands</th><th class="n">all stages pred</th><th class="n">all stages act</th></tr>';
    per.forEach((r, w) => {
      const b0 = first.bands.find((b) => b.worker === w);
      const slow = r.pred > 0 && r.act > 1.5 * r.pred ? ' slow' : '';
      html += '<tr><td><span class="sw" style="background:' + colour(w) + '"></span>' + esc(w) + '</td>' +
        '<td>' + esc(r.rows || '–') + '</td>' +
        '<td class="n">' + (b0 ? ms(b0.predictedMs) : '–') + '</td>' +
        '<td class="n">' + (b0 ? ms(b0.actualMs) : '–') + '</td>' +
        '<td class="n">' + r.bands + '</td>' +
        '<td class="n">' + ms(r.pred) + '</td><td class="n' + slow + '">' + ms(r.act) + '</td></tr>';
    });
    $('bands').innerHTML = html;
  }

  function renderRecent() {
    const box = $('recent');
    const keep = new Set(frames.map((f) => f.id));
    for (const [id, node] of thumbs) {
      if (!keep.has(id)) { node.remove(); thumbs.delete(id); }
    }
    frames.forEach((f, i) => {
      let d = thumbs.get(f.id);
      if (!d) {
        d = thumb(f);
        thumbs.set(f.id, d);
      }
      d.classList.toggle('sel', selected === f.id);
      if (box.children[i] !== d) box.insertBefore(d, box.children[i] || null);
    });
  }

  function thumb(f) {
    const d = document.createElement('div');
    d.className = 'thumb';
    d.dataset.frame = f.id;
    const svg = document.createElementNS(SVG, 'svg');
    d.appendChild(svg);
    frameSvg(f, svg, false);
    const c = document.createElement('div');
    c.className = 'c';
    c.textContent = (f.trusted === false ? '⚠ ' : '') + pretty(f.className) + ' ' +
      (100 * f.confidence).toFixed(0) + '%';
    const m = document.createElement('div');
    m.className = 'm';
    m.textContent = '#' + f.sequence + ' · ' + ms(f.latencyMs);
    d.appendChild(c);
    d.appendChild(m);
    d.onclick = () => { selected = selected === f.id ? null : f.id; renderHero(); renderRecent(); };
    return d;
  }

  // ---- charts ----
  function renderCharts(s) {
    const pts = (s.series && s.series.points) || [];
    const lat = $('latency-chart');
    lat.innerHTML = '';
    const W = 600, H = 170, L = 44, R = 8, T = 8, B = 20;
    const maxLat = niceMax(Math.max(1, ...pts.map((p) => p.p95 || 0)));
    axes(lat, W, H, L, R, T, B, maxLat, (v) => v >= 1000 ? +(v / 1000).toFixed(2) + ' s' : +v.toFixed(1) + '', s.series);
    const x = (i) => L + (W - L - R) * (i + 0.5) / Math.max(1, pts.length);
    const y = (v) => T + (H - T - B) * (1 - v / maxLat);
    ['p95', 'p50'].forEach((k) => {
      let d = '';
      let pen = false;
      pts.forEach((p, i) => {
        if (p[k] == null) { pen = false; return; }
        d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(p[k]).toFixed(1);
        pen = true;
      });
      el('path', { d: d, fill: 'none', stroke: k === 'p50' ? '#4cc9f0' : '#f72585', 'stroke-width': 2,
        'stroke-linejoin': 'round', class: 'series-' + k }, lat);
      pts.forEach((p, i) => {
        if (p[k] != null) el('circle', { cx: x(i), cy: y(p[k]), r: 1.8, fill: k === 'p50' ? '#4cc9f0' : '#f72585' }, lat);
      });
    });

    const fps = $('fps-chart');
    fps.innerHTML = '';
    const H2 = 110;
    const maxFps = niceMax(Math.max(0.2, ...pts.map((p) => p.fps || 0)));
    axes(fps, W, H2, L, R, T, B, maxFps, (v) => +v.toFixed(2) + '', s.series);
    const bw = (W - L - R) / Math.max(1, pts.length);
    pts.forEach((p, i) => {
      if (!p.n) return;
      const h = (H2 - T - B) * p.fps / maxFps;
      el('rect', { x: L + i * bw + 0.5, y: H2 - B - h, width: Math.max(1, bw - 1), height: h, fill: '#06d6a0', 'fill-opacity': 0.85 }, fps);
    });
  }

  function niceMax(v) {
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 4, 6, 8, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  }

  function axes(svg, W, H, L, R, T, B, max, fmt, series) {
    const g = el('g', { class: 'grid' }, svg);
    for (let i = 0; i <= 4; i++) {
      const v = max * i / 4;
      const y = T + (H - T - B) * (1 - i / 4);
      el('line', { x1: L, x2: W - R, y1: y, y2: y }, g);
      el('text', { x: L - 6, y: y + 4, 'text-anchor': 'end' }, svg).textContent = fmt(v);
    }
    if (series) {
      const span = (series.end - series.start) / 1000;
      [0, 0.25, 0.5, 0.75, 1].forEach((f) => {
        const ago = Math.round(span * (1 - f));
        el('text', { x: L + (W - L - R) * f, y: H - 5, 'text-anchor': f === 0 ? 'start' : f === 1 ? 'end' : 'middle' }, svg)
          .textContent = ago === 0 ? 'now' : '-' + (ago >= 60 ? (ago / 60) + ' min' : ago + ' s');
      });
    }
  }

  function renderClasses(s) {
    const box = $('classes');
    const lines = Object.keys(s.classes || {});
    if (lines.length === 0) {
      box.innerHTML = '<div class="empty">no classification yet</div>';
      return;
    }
    const names = (s.classNames && s.classNames.length) ? s.classNames : [];
    box.innerHTML = lines.map((line) => {
      const counts = s.classes[line];
      const all = names.length ? names : Object.keys(counts);
      const total = all.reduce((a, n) => a + (counts[n] || 0), 0) || 1;
      const max = Math.max(1, ...all.map((n) => counts[n] || 0));
      return '<div class="line-name">' + esc(line) + ' <span class="dim">' + total + ' frames</span></div>' +
        all.map((n, i) => '<div class="cls-row" data-class="' + esc(n) + '"><span>' + esc(pretty(n)) + '</span>' +
          '<div class="bar"><i style="width:' + (100 * (counts[n] || 0) / max).toFixed(1) + '%;background:' +
          PALETTE[(i + 3) % PALETTE.length] + '"></i></div>' +
          '<span class="num">' + (counts[n] || 0) + ' · ' + (100 * (counts[n] || 0) / total).toFixed(0) + '%</span></div>').join('');
    }).join('');
  }

  function renderIncidents(s) {
    const list = s.incidents || [];
    $('incidents').innerHTML = list.length === 0 ? '<li class="empty">none</li>' : list.map((i) =>
      '<li><span class="kind ' + esc(i.kind) + '">' + esc(i.kind) + '</span>' +
      new Date(i.at).toLocaleTimeString() + ' ' + (i.frame ? esc(i.frame) + ': ' : '') + esc(i.reason) + '</li>').join('');
  }

  function onState(s) {
    state = s;
    if (s.frames) {
      frames = s.frames.slice(0, MAX_FRAMES);
      renderHero();
      renderRecent();
    }
    renderHeader(s);
    renderWorkers(s.workers);
    renderCharts(s);
    renderClasses(s);
    renderIncidents(s);
  }

  // Load the image first (the browser caches it), so the new frame never shows a blank.
  function onFrame(f) {
    const img = new Image();
    let done = false;
    const go = () => { if (!done) { done = true; showFrame(f); } };
    img.onload = go;
    img.onerror = go;
    setTimeout(go, 2000);
    img.src = f.image;
  }

  function showFrame(f) {
    frames = [f].concat(frames.filter((x) => x.id !== f.id)).slice(0, MAX_FRAMES);
    if (selected && !frames.some((x) => x.id === selected)) selected = null;
    renderHero();
    renderRecent();
  }

  function connect() {
    const live = $('live');
    const es = new EventSource('api/events');
    es.addEventListener('open', () => { live.textContent = 'live'; live.className = 'pill ok live'; });
    es.addEventListener('error', () => { live.textContent = 'reconnecting…'; live.className = 'pill bad'; });
    es.addEventListener('state', (e) => onState(JSON.parse(e.data)));
    es.addEventListener('frame', (e) => onFrame(JSON.parse(e.data)));
  }

  connect();
})();
