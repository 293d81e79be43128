// undermoon dashboard: plain JavaScript, no build step. Reads /ui/api/overview and draws it.
'use strict';

const SLOTS = 16384;
const COLS = 256;          // the slot map is 256 slots wide and 64 rows high
const CELL = 3;            // pixels per slot
const PALETTE = ['#4263eb', '#f76707', '#37b24d', '#ae3ec9', '#1098ad', '#f59f00', '#e64980', '#74b816',
  '#7048e8', '#d6336c', '#0ca678', '#fd7e14', '#3b5bdb', '#c2255c', '#2f9e44', '#862e9c'];

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function rangesText(ranges) {
  return ranges.map(r => r[0] === r[1] ? String(r[0]) : r[0] + '-' + r[1]).join(', ');
}

function drawSlotMap(cluster, colors) {
  const canvas = el('canvas', { class: 'slots', width: COLS * CELL, height: (SLOTS / COLS) * CELL });
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const paint = (slot, color) => {
    const x = (slot % COLS) * CELL, y = Math.floor(slot / COLS) * CELL;
    ctx.fillStyle = color;
    ctx.fillRect(x, y, CELL, CELL);
  };
  for (const m of cluster.masters) {
    for (const r of m.slots) for (let s = r[0]; s <= r[1]; s++) paint(s, colors[m.node]);
  }
  // a migrating slot: diagonal stripes of the source's and the destination's colours; a task the
  // migration limit holds back (queued) gets thinner destination stripes
  for (const mig of cluster.migrations) {
    const src = colors[mig.src_node] || '#888888', dst = colors[mig.dst_node] || '#000000';
    const width = mig.active === false ? 1 : 2;
    for (const r of mig.ranges) for (let s = r[0]; s <= r[1]; s++) {
      const x = (s % COLS) * CELL, y = Math.floor(s / COLS) * CELL;
      for (let dx = 0; dx < CELL; dx++) for (let dy = 0; dy < CELL; dy++) {
        ctx.fillStyle = ((x + dx + y + dy) % 4) < width ? dst : src;
        ctx.fillRect(x + dx, y + dy, 1, 1);
      }
    }
  }
  return canvas;
}

function percent(a, b) {
  return b > 0 ? Math.floor((a * 100) / b) : 100;
}

function clusterCard(c) {
  const colors = {};
  c.masters.forEach((m, i) => { colors[m.node] = PALETTE[i % PALETTE.length]; });
  const card = el('div', { class: 'card cluster' + (c.migrations.length ? ' migrating' : ''), 'data-cluster': c.name });
  card.append(el('h3', {}, c.name));
  card.append(el('div', { class: 'meta' },
    el('span', {}, 'epoch ' + c.epoch),
    el('span', {}, c.node_number + ' nodes, ' + c.masters.length + ' masters'),
    el('span', { class: c.covered_slots === SLOTS ? '' : 'error', 'data-covered': c.covered_slots },
      'slots covered ' + c.covered_slots + ' / ' + SLOTS)));
  if (c.migrations.length) {
    const box = el('div', { class: 'migration', 'data-migrating': c.name });
    const p = c.progress;
    if (p) {
      const pct = percent(p.switched_slots, p.planned_slots);
      const bar = el('div', { class: 'bar' }, el('div', { style: '' }));
      bar.firstChild.style.width = pct + '%';
      const secs = Math.max(0, Math.round((Date.now() - p.started_at_millis) / 1000));
      box.append(el('div', { class: 'progress' }, bar,
        'scaling: ' + p.switched_slots + ' / ' + p.planned_slots + ' slots switched (' + pct + '%), ' +
        p.remaining_slots + ' to go, for ' + secs + ' s'));
    }
    const active = c.migrations.filter(m => m.active).length;
    box.append(el('div', {}, c.migrations.length + ' migration task(s), ' + active + ' running, ' +
      c.migrating_slots + ' slots still moving'));
    const t = el('table', {}, el('tr', {}, el('th', {}, 'slots'), el('th', {}, 'from'), el('th', {}, 'to'), el('th', {}, 'state')));
    for (const m of c.migrations) {
      t.append(el('tr', {}, el('td', {}, rangesText(m.ranges) + ' (' + m.slots + ')'),
        el('td', {}, m.src_node + ' @ ' + m.src_proxy), el('td', {}, m.dst_node + ' @ ' + m.dst_proxy),
        el('td', {}, m.active ? 'moving' : 'queued')));
    }
    box.append(t);
    card.append(box);
  }
  card.append(drawSlotMap(c, colors));
  const legend = el('div', { class: 'legend' });
  for (const m of c.masters) {
    legend.append(el('span', {}, el('span', { class: 'swatch', style: '' }),
      m.node + ' (' + m.slot_count + ' slots)'));
    legend.lastChild.firstChild.style.background = colors[m.node];
  }
  if (c.migrations.length) {
    legend.append(el('span', {}, el('span', { class: 'swatch hatch' }), 'migrating: stripes of the source\'s and the destination\'s colours'));
  }
  card.append(legend);
  const nodes = el('table', {}, el('tr', {}, el('th', {}, 'master'), el('th', {}, 'proxy'), el('th', {}, 'host'),
    el('th', {}, 'replica'), el('th', {}, 'replica host'), el('th', {}, 'slots')));
  for (const m of c.masters) {
    nodes.append(el('tr', {}, el('td', {}, m.node), el('td', {}, m.proxy), el('td', {}, m.host || '?'),
      el('td', {}, (m.replica_node || '-') + (m.replica_proxy ? ' @ ' + m.replica_proxy : '')),
      el('td', {}, m.replica_host || '-'), el('td', {}, rangesText(m.slots) || '-')));
  }
  card.append(nodes);
  return card;
}

function render(o) {
  const proxies = o.hosts.flatMap(h => h.proxies);
  const count = s => proxies.filter(p => p.state === s).length;
  document.getElementById('summary').textContent = o.clusters.length + ' clusters, ' + proxies.length +
    ' proxies (' + count('used') + ' used, ' + count('free') + ' free, ' + count('failed') + ' failed), global epoch ' +
    o.global_epoch;
  const problems = document.getElementById('problems');
  problems.replaceChildren();
  if (o.failed_proxies.length) {
    const box = el('div', { class: 'problem' }, el('b', {}, 'Failed proxies: '));
    for (const p of o.failed_proxies) box.append(el('span', { class: 'state-failed', 'data-failed-proxy': p }, p + ' '));
    problems.append(box);
  }
  const reported = Object.keys(o.failure_reports);
  if (reported.length) {
    const box = el('div', { class: 'problem' }, el('b', {}, 'Failure reports: '));
    for (const p of reported) box.append(el('span', { 'data-reported-proxy': p }, p + ' by ' + o.failure_reports[p].join(', ') + '; '));
    problems.append(box);
  }
  const clusters = document.getElementById('clusters');
  clusters.replaceChildren(el('h2', {}, 'Clusters'));
  if (!o.clusters.length) clusters.append(el('p', {}, 'No cluster yet.'));
  for (const c of o.clusters) clusters.append(clusterCard(c));
  const hosts = el('div', { class: 'hosts' });
  for (const h of o.hosts) {
    const box = el('div', { class: 'host', 'data-host': h.host }, el('b', {}, h.host));
    for (const p of h.proxies) {
      box.append(el('div', { class: 'state-' + p.state, 'data-proxy': p.address, 'data-proxy-state': p.state },
        p.address + ' ' + p.state + (p.cluster ? ' (' + p.cluster + ')' : '')));
    }
    hosts.append(box);
  }
  document.getElementById('hosts').replaceChildren(hosts);
}

async function refresh() {
  try {
    const r = await fetch('api/overview', { cache: 'no-store' });
    if (!r.ok) throw new Error('HTTP ' + r.status);
    render(await r.json());
    const st = await fetch('api/store', { cache: 'no-store' });
    if (st.ok) {
      const info = await st.json();
      const summary = document.getElementById('summary');
      summary.dataset.store = info.type;
      summary.textContent += '; store ' + info.type +
        (info.type === 'etcd' ? ' (' + info.endpoints.length + ' endpoints, prefix ' + info.prefix + ', revision ' + info.revision + ')' : '');
    }
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    document.body.dataset.state = 'ready';
  } catch (e) {
    document.getElementById('updated').textContent = 'cannot reach the broker: ' + e.message;
    document.body.dataset.state = 'error';
  }
  setTimeout(refresh, 2000);
}

refresh();
