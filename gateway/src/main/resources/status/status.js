// The gateway's status page: reads /v1/admin/status/stream (Server-Sent Events) with fetch, since
// EventSource cannot send the Authorization header, and renders each snapshot. No framework.
'use strict';

const STREAM = '/v1/admin/status/stream';
const TOKEN_KEY = 'gridstate.status.adminToken';
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;

const state = {
  controller: null,   // the AbortController of the stream being read
  retryMs: FIRST_RETRY_MS,
  retryTimer: null,
  countdown: null,
  lastData: 0,        // Date.now() when the stream last delivered anything
  intervalMs: 1000,   // the gateway's snapshot interval, from the snapshots
  live: false,
  lastSnapshotAt: 0,  // the gateway's time of the snapshot shown
};

const $ = id => document.querySelector(`[data-testid="${id}"]`);

// ---- DOM helpers: text only, never HTML from the data ----

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (name === 'class') node.className = value;
    else if (name === 'testid') node.dataset.testid = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function badge(text, tone, testid) {
  return el('span', {class: `badge ${tone}`, testid}, text);
}

function setBadge(node, text, tone) {
  node.textContent = text;
  node.className = `badge ${tone}`;
}

function fill(tbody, rows, columns, emptyText) {
  tbody.replaceChildren(...(rows.length ? rows
    : [el('tr', {}, el('td', {class: 'empty', colspan: columns}, emptyText))]));
}

function showError(part, message) {
  const node = $(`error-${part}`);
  node.hidden = !message;
  node.textContent = message ? `Unavailable: ${message}` : '';
}

// ---- formatting ----

const number = n => (n === null || n === undefined) ? '–' : Number(n).toLocaleString('en');
const plural = (n, one, many) => `${number(n)} ${n === 1 ? one : many}`;
const percent = p => (p === null || p === undefined || p < 0) ? '–' : `${Math.round(p * 10) / 10}%`;

function ago(at) {
  if (!at) return '–';
  const s = Math.max(0, Math.round((Date.now() - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

function until(at) {
  if (!at) return 'until lifted';
  const s = Math.round((at - Date.now()) / 1000);
  if (s <= 0) return 'expiring';
  if (s < 60) return `in ${s} s`;
  if (s < 3600) return `in ${Math.floor(s / 60)} min`;
  return `in ${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function duration(ms) {
  if (ms === null || ms === undefined) return 'unknown';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60000)} min`;
}

const time = at => at ? new Date(at).toLocaleTimeString() : '';

function breakerTone(breaker) {
  switch (breaker) {
    case 'CLOSED': return 'ok';
    case 'HALF_OPEN': return 'warn';
    case 'OPEN': case 'FORCED_OPEN': return 'bad';
    default: return 'muted';
  }
}

const RATE_HINT = 'share of the calls in the breaker\'s window; – until the window holds its minimum of calls';

const FLAG_TONE = {pause: 'warn', cooldown: 'warn', maintenance: 'warn', freeze: 'bad', 'shadow-ban': 'bad', quarantine: 'bad'};

// ---- rendering one snapshot ----

function render(s) {
  state.intervalMs = s.intervalMs || state.intervalMs;
  $('region').textContent = s.region;
  $('region').hidden = false;
  document.title = `Gateway status · ${s.region}`;
  renderStore(s.store);
  renderBroker(s.broker);
  renderReplication(s.replication);
  renderNodes(s.nodes);
  renderFlags(s.flags);
  renderDeadJobs(s.deadJobs);
  state.lastSnapshotAt = s.at;
  $('connection-detail').textContent = `updated ${time(s.at)}`;
}

function renderStore(store) {
  const serving = store.serving === 'regional';
  setBadge($('serving'), store.serving, serving ? 'ok' : 'warn');
  const rows = [];
  for (const r of store.redis) {
    rows.push(el('tr', {testid: `redis-${r.name}`},
      el('td', {}, r.name),
      el('td', {class: 'nowrap'}, badge(r.status, r.status === 'UP' ? 'ok' : 'bad', `redis-${r.name}-status`),
        r.pingMs !== undefined ? el('span', {class: 'note'}, ` ${r.pingMs} ms`) : null),
      el('td', {}, badge(r.breaker, breakerTone(r.breaker), `breaker-${r.name}`)),
      el('td', {class: 'num', title: RATE_HINT}, percent(r.failureRate)),
      el('td', {class: 'num', title: RATE_HINT}, percent(r.slowCallRate)),
      el('td', {class: 'num', title: 'calls in the breaker\'s window'}, number(r.bufferedCalls))));
    if (r.error) {
      rows.push(el('tr', {class: 'detail', testid: `redis-${r.name}-error`}, el('td', {colspan: 6}, r.error)));
    }
  }
  $('redis-rows').replaceChildren(...rows);
  const down = store.redis.filter(r => r.status !== 'UP').map(r => r.name);
  showError('store', down.length === store.redis.length ? 'neither Redis answers a PING' : null);
}

function renderBroker(broker) {
  setBadge($('broker-status'), broker.status, broker.status === 'UP' ? 'ok' : broker.status === 'DOWN' ? 'bad' : 'muted');
  $('broker-version').textContent = broker.version ? `RabbitMQ ${broker.version}` : '';
  const tone = {connected: 'ok', disconnected: 'bad'}[broker.changeLog] || 'muted';
  setBadge($('changelog-status'), broker.changeLog, tone);
  showError('broker', broker.error);
}

function renderReplication(r) {
  const lag = r.centralBehindMs;
  const tone = !r.enabled ? 'muted' : lag === undefined ? 'muted' : lag < 5000 ? 'ok' : lag < 60000 ? 'warn' : 'bad';
  setBadge($('replication-lag'), !r.enabled ? 'replication off' : lag === undefined ? 'unknown' : duration(lag), tone);
  $('replication-pending').textContent = plural(r.pendingEntities, 'entity', 'entities');
  $('replication-outbox').textContent = plural(r.outboxMessages, 'message', 'messages');
  $('replication-dropped').replaceChildren(r.droppedMessages > 0
    ? badge(`${number(r.droppedMessages)} (a resync repairs central)`, 'warn') : '0');
  $('replication-confirmed').textContent = r.lastConfirmedAt ? `${ago(r.lastConfirmedAt)} (${time(r.lastConfirmedAt)})` : 'none yet';
  $('replication-resync').textContent = r.lastResync
    ? `${plural(r.lastResync.entities, 'entity', 'entities')} in ${plural(r.lastResync.messages, 'message', 'messages')}, ${duration(r.lastResync.tookMs)}`
    : 'none since start';
  showError('replication', r.error);
}

function renderNodes(n) {
  $('nodes-online').textContent = number(n.online);
  const states = n.states;
  $('node-states').replaceChildren(...(states ? [
    badge(`idle ${number(states.idle)}`, 'ok', 'state-idle'),
    badge(`busy ${number(states.busy)}`, 'warn', 'state-busy'),
    badge(`draining ${number(states.draining)}`, 'muted', 'state-draining'),
    states.other ? badge(`other ${number(states.other)}`, 'muted', 'state-other') : null,
    n.source ? el('span', {class: 'note'}, `read from the ${n.source} Redis`) : null,
  ].filter(Boolean) : [el('span', {class: 'note'}, 'counting nodes by state…')]));
  const rows = (n.models || []).map(m => el('tr', {testid: `model-${m.model}`},
    el('td', {}, m.model),
    el('td', {class: 'num', 'data-col': 'online'}, number(m.online)),
    el('td', {class: 'num', 'data-col': 'idle'}, number(m.idle)),
    el('td', {class: 'num', 'data-col': 'busy'}, number(m.busy)),
    el('td', {class: 'num', 'data-col': 'draining'}, number(m.draining)),
    el('td', {class: 'num', 'data-col': 'ready'}, number(m.ready))));
  fill($('model-rows'), rows, 6, 'no node online');
  const c = n.census;
  let note = c.countedAt
    ? `States counted ${ago(c.countedAt)} over ${plural(c.nodes, 'node', 'nodes')} (took ${duration(c.tookMs)}); online and ready are live.`
    : 'States not counted yet.';
  if (c.progress) note += ` Counting again: ${plural(c.progress, 'node', 'nodes')} so far.`;
  if (n.modelsNotShown) note += ` ${plural(n.modelsNotShown, 'more model', 'more models')} not shown.`;
  $('census-note').textContent = note;
  showError('nodes', n.error);
}

function renderFlags(f) {
  $('flags-total').textContent = number(f.total);
  $('flag-kinds').replaceChildren(...Object.entries(f.byKind || {}).map(([kind, count]) =>
    badge(`${kind} ${number(count)}`, FLAG_TONE[kind] || 'muted')));
  const rows = (f.recent || []).map(flag => el('tr', {testid: `flag-${flag.nodeId}-${flag.kind}`},
    el('td', {}, el('code', {}, flag.nodeId)),
    el('td', {}, badge(flag.kind, FLAG_TONE[flag.kind] || 'muted')),
    el('td', {class: 'reason'}, flag.reason || '', flag.notice ? el('div', {class: 'note'}, `notice: ${flag.notice}`) : null),
    el('td', {title: flag.setAt ? new Date(flag.setAt).toLocaleString() : ''}, ago(flag.setAt)),
    el('td', {}, until(flag.until))));
  fill($('flag-rows'), rows, 5, f.total !== undefined ? 'no flag set' : f.error ? 'not listed yet' : 'listing flags…');
  const shown = (f.recent || []).length;
  $('flags-note').textContent = f.scannedAt
    ? `Listed ${ago(f.scannedAt)}${f.total > shown ? `; the newest ${shown} of ${number(f.total)} shown` : ''}.` : '';
  showError('flags', f.error);
}

function renderDeadJobs(d) {
  const count = $('dead-total');
  count.textContent = number(d.total);
  count.className = d.total > 0 ? 'count badge bad' : 'count';
  const rows = (d.recent || []).map(job => el('tr', {testid: `dead-${job.jobId}`},
    el('td', {}, el('code', {}, job.jobId)),
    el('td', {}, job.model || ''),
    el('td', {class: 'num'}, `${number(job.attempt)} / ${number(job.maxAttempts)}`),
    el('td', {class: 'reason'}, job.reason || ''),
    el('td', {title: job.diedAt ? new Date(job.diedAt).toLocaleString() : ''}, ago(job.diedAt))));
  fill($('dead-rows'), rows, 5, d.recent === undefined ? 'not read' : 'no dead job');
  showError('dead-jobs', d.error);
}

// ---- connection ----

function setConnection(text, tone, detail) {
  setBadge($('connection'), text, tone);
  if (detail !== undefined) $('connection-detail').textContent = detail;
}

function showLogin(message) {
  $('login').hidden = false;
  $('dashboard').hidden = true;
  $('stale-banner').hidden = true;
  $('change-token').hidden = true;
  $('login-message').textContent = message || '';
  $('token').focus();
}

function showDashboard() {
  $('login').hidden = true;
  $('dashboard').hidden = false;
  $('change-token').hidden = false;
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    return body.message || body.error || `HTTP ${response.status}`;
  } catch (e) {
    return `HTTP ${response.status}`;
  }
}

function stop(reason) {
  clearTimeout(state.retryTimer);
  clearInterval(state.countdown);
  if (state.controller) state.controller.abort(reason);
  state.controller = null;
  state.live = false;
}

function connect() {
  stop('reconnecting');
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    setConnection('not connected', 'muted', '');
    showLogin('');
    return;
  }
  const controller = new AbortController();
  state.controller = controller;
  state.lastData = Date.now();
  setConnection('connecting', 'warn', '');
  fetch(STREAM, {
    headers: {'Authorization': `Bearer ${token}`, 'Accept': 'text/event-stream'},
    cache: 'no-store',
    signal: controller.signal,
  }).then(async response => {
    if (response.status === 401) {
      const why = await errorMessage(response);
      sessionStorage.removeItem(TOKEN_KEY);
      stop('refused');
      setConnection('not connected', 'bad', '');
      showLogin(`The gateway refused the admin token: ${why}.`);
      return;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await errorMessage(response)}`);
    if (!response.body) throw new Error('this browser cannot read a streamed response');
    await readEvents(response.body.getReader(), event => {
      if (event.name !== 'status') return;
      if (!state.live) {
        state.live = true;
        state.retryMs = FIRST_RETRY_MS;
        document.body.classList.remove('stale');
        $('stale-banner').hidden = true;
        showDashboard();
        setConnection('live', 'ok');
      }
      render(JSON.parse(event.data));
    });
    throw new Error('the gateway ended the stream');
  }).catch(error => {
    if (state.controller !== controller) return;   // stopped on purpose, or superseded
    disconnected(controller.signal.aborted && typeof controller.signal.reason === 'string'
      ? controller.signal.reason : (error && error.message) || String(error));
  });
}

function disconnected(why) {
  stop('disconnected');
  document.body.classList.add('stale');
  if (state.lastSnapshotAt) {
    const banner = $('stale-banner');
    banner.hidden = false;
    banner.textContent = `Disconnected from the gateway: showing the state as of ${time(state.lastSnapshotAt)}.`;
  }
  const wait = state.retryMs;
  state.retryMs = Math.min(MAX_RETRY_MS, state.retryMs * 2);
  const retryAt = Date.now() + wait;
  const tell = () => setConnection('disconnected', 'bad',
    `${why}; retrying in ${Math.max(0, Math.ceil((retryAt - Date.now()) / 1000))} s`);
  tell();
  state.countdown = setInterval(tell, 1000);
  state.retryTimer = setTimeout(connect, wait);
}

// Reads Server-Sent Events from a byte stream: lines of `field: value`, an empty line ends an
// event, a line starting with ':' is a comment (the gateway's keep-alive).
async function readEvents(reader, onEvent) {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = {name: 'message', data: [], id: null};
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    state.lastData = Date.now();
    buffer += decoder.decode(value, {stream: true});
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      // A '\r' at the very end may be the first half of a '\r\n' still on its way.
      if (end < 0 || (buffer[end] === '\r' && end === buffer.length - 1)) break;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (event.data.length) onEvent({name: event.name, data: event.data.join('\n'), id: event.id});
        event = {name: 'message', data: [], id: null};
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let data = colon < 0 ? '' : line.slice(colon + 1);
      if (data.startsWith(' ')) data = data.slice(1);
      if (field === 'data') event.data.push(data);
      else if (field === 'event') event.name = data;
      else if (field === 'id') event.id = data;
    }
  }
}

// A stream that delivers nothing for five intervals is as good as gone (a proxy, a half-open
// connection): drop it and reconnect.
setInterval(() => {
  if (state.controller && Date.now() - state.lastData > Math.max(5000, 5 * state.intervalMs)) {
    state.controller.abort(`no snapshot for ${Math.round((Date.now() - state.lastData) / 1000)} s`);
  }
}, 1000);

document.addEventListener('DOMContentLoaded', () => {
  $('token-form').addEventListener('submit', e => {
    e.preventDefault();
    const token = $('token').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    $('login-message').textContent = '';
    connect();
  });
  $('change-token').addEventListener('click', () => {
    stop('token changed');
    sessionStorage.removeItem(TOKEN_KEY);
    setConnection('not connected', 'muted', '');
    showLogin('');
  });
  connect();
});
