// Cairn's dashboard (docs/operations.md, "Dashboard"): charts from /metrics, polled every second
// without credentials, and the admin API's clients, sessions and journal, polled every two seconds
// with the credentials the user gave, which stay in this tab's session storage and in request
// headers, never in a URL. Everything shown is set as text, never parsed as HTML.
'use strict';

(() => {
  const METRICS_EVERY_MS = 1000;
  const API_EVERY_MS = 2000;
  // Sessions per page of the table: the API answers them in client id order, with the id to ask
  // after for the next page (docs/operations.md, "Admin API").
  const SESSIONS_PAGE = 100;
  const POINTS = 300;
  const AUTH_KEY = 'cairn.dashboard.authorization';

  const $ = (id) => document.getElementById(id);
  let authorization = sessionStorage.getItem(AUTH_KEY);
  let timers = [];
  // The `after` of each session page shown so far, the current one last (null: the first page),
  // and the API's `next` for the page after the current one (null: this is the last).
  let sessionCursors = [null];
  let sessionsNext = null;
  // 'clientId': pages in client id order; 'queued': the largest queues, one page.
  let sessionsOrder = 'clientId';

  // ---- credentials ----

  function base64(text) {
    const bytes = new TextEncoder().encode(text);
    let binary = '';
    bytes.forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary);
  }

  async function api(method, path) {
    const response = await fetch(path, {
      method,
      headers: { Authorization: authorization, Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
    });
    const body = await response.json().catch(() => ({ error: response.statusText }));
    if (response.status === 401) {
      signOut('The credentials were refused.');
    }
    if (!response.ok) {
      throw new Error(response.status + ': ' + (body.error || response.statusText));
    }
    return body;
  }

  async function signIn(event) {
    event.preventDefault();
    const token = $('token').value.trim();
    const user = $('user').value;
    authorization = token ? 'Bearer ' + token : 'Basic ' + base64(user + ':' + $('password').value);
    try {
      await api('GET', '/api/journal');
    } catch (e) {
      $('login-error').textContent = e.message.startsWith('403')
        ? 'The admin API is closed: set admin.token_file or admin.password_file.'
        : 'Sign-in failed: ' + e.message;
      authorization = null;
      return;
    }
    sessionStorage.setItem(AUTH_KEY, authorization);
    $('token').value = '';
    $('password').value = '';
    start();
  }

  function signOut(message) {
    authorization = null;
    sessionStorage.removeItem(AUTH_KEY);
    timers.forEach(clearInterval);
    timers = [];
    $('board').hidden = true;
    $('logout').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
  }

  // ---- metrics ----

  /** The Prometheus text format as [{name, labels, value}]. */
  function parseMetrics(text) {
    const samples = [];
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) {
        continue;
      }
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m) {
        continue;
      }
      const labels = {};
      for (const l of (m[2] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[l[1]] = l[2];
      }
      samples.push({ name: m[1], labels, value: Number(m[3]) });
    }
    return samples;
  }

  const sum = (samples, name) =>
    samples.filter((s) => s.name === name).reduce((a, s) => a + s.value, 0);

  /** [[le, cumulative count]] of a histogram, in order of le. */
  function buckets(samples, name) {
    return samples
      .filter((s) => s.name === name + '_bucket')
      .map((s) => [s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value])
      .sort((a, b) => a[0] - b[0]);
  }

  /** The q-quantile of the observations between two readings of a histogram, or null if none. */
  function quantile(q, now, before) {
    const counts = now.map(([le, c], i) => [le, c - (before && before[i] ? before[i][1] : 0)]);
    const total = counts.length ? counts[counts.length - 1][1] : 0;
    if (total <= 0) {
      return null;
    }
    const rank = q * total;
    let lower = 0;
    let below = 0;
    for (const [le, c] of counts) {
      if (c >= rank) {
        if (le === Infinity) {
          return lower;
        }
        // Linear within the bucket, as Prometheus' histogram_quantile does.
        return lower + (le - lower) * ((rank - below) / Math.max(c - below, 1));
      }
      lower = le;
      below = c;
    }
    return lower;
  }

  const series = { t: [], in: [], out: [], connections: [], p50: [], p99: [], queued: [], largest: [] };
  let previous = null;
  let charts = null;

  function chart(id, labels, colours) {
    const element = $(id);
    const opts = {
      width: Math.max(element.clientWidth, 300),
      height: 200,
      series: [{}].concat(labels.map((label, i) => ({ label, stroke: colours[i], width: 2, spanGaps: false }))),
      axes: [{}, { size: 60 }],
      legend: { live: false },
    };
    return uPlot(opts, [[]].concat(labels.map(() => [])), element);
  }

  function makeCharts() {
    charts = {
      messages: [chart('chart-messages', ['in', 'out'], ['#1f77b4', '#2ca02c']), ['in', 'out']],
      connections: [chart('chart-connections', ['connections'], ['#9467bd']), ['connections']],
      sync: [chart('chart-sync', ['p50', 'p99'], ['#17becf', '#d62728']), ['p50', 'p99']],
      queued: [chart('chart-queued', ['all sessions', 'largest session'], ['#ff7f0e', '#8c564b']), ['queued', 'largest']],
    };
    window.addEventListener('resize', () => {
      Object.values(charts).forEach(([c]) => c.setSize({ width: Math.max(c.root.parentNode.clientWidth, 300), height: 200 }));
    });
  }

  const fixed = (v, digits) => (v === null || Number.isNaN(v) ? '–' : v.toFixed(digits));

  async function pollMetrics() {
    let text;
    try {
      const response = await fetch('/metrics', { cache: 'no-store', credentials: 'omit' });
      text = await response.text();
    } catch (e) {
      $('status').textContent = 'metrics unreachable: ' + e.message;
      return;
    }
    const samples = parseMetrics(text);
    const now = {
      at: Date.now() / 1000,
      received: sum(samples, 'cairn_messages_received_total'),
      delivered: sum(samples, 'cairn_messages_delivered_total'),
      sync: buckets(samples, 'cairn_journal_sync_seconds'),
    };
    if (previous) {
      const dt = Math.max(now.at - previous.at, 0.001);
      const p50 = quantile(0.5, now.sync, previous.sync);
      const p99 = quantile(0.99, now.sync, previous.sync);
      const point = {
        in: Math.max(now.received - previous.received, 0) / dt,
        out: Math.max(now.delivered - previous.delivered, 0) / dt,
        connections: sum(samples, 'cairn_connections'),
        p50: p50 === null ? null : p50 * 1000,
        p99: p99 === null ? null : p99 * 1000,
        queued: sum(samples, 'cairn_queued_messages'),
        largest: sum(samples, 'cairn_queued_messages_largest_session'),
      };
      series.t.push(now.at);
      Object.keys(point).forEach((k) => series[k].push(point[k]));
      if (series.t.length > POINTS) {
        Object.values(series).forEach((a) => a.shift());
      }
      Object.values(charts).forEach(([c, keys]) => c.setData([series.t].concat(keys.map((k) => series[k]))));
      $('fig-in').textContent = fixed(point.in, 1);
      $('fig-out').textContent = fixed(point.out, 1);
      $('fig-connections').textContent = String(point.connections);
      $('fig-p50').textContent = fixed(point.p50, 2);
      $('fig-p99').textContent = fixed(point.p99, 2);
      $('fig-queued').textContent = String(point.queued);
      $('fig-queued-largest').textContent = String(point.largest);
      $('board').dataset.samples = String(series.t.length);
      $('status').textContent = 'updated ' + new Date().toLocaleTimeString();
    }
    previous = now;
  }

  // ---- tables ----

  function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (className) {
      td.className = className;
    }
    return td;
  }

  /** One cell of buttons, each [label, confirmation question, action answering a status line]. */
  function actions(row, buttons) {
    const td = row.insertCell();
    td.className = 'actions';
    for (const [label, question, action] of buttons) {
      td.appendChild(button(label, question, action));
    }
  }

  function button(label, question, action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.action = label.toLowerCase();
    b.addEventListener('click', async () => {
      if (!window.confirm(question)) {
        return;
      }
      b.disabled = true;
      try {
        $('status').textContent = await action();
      } catch (e) {
        $('status').textContent = label + ' failed: ' + e.message;
      }
      pollApi();
    });
    return b;
  }

  const id = (clientId) => encodeURIComponent(clientId);
  const bytes = (n) => (n >= 1 << 30 ? (n / (1 << 30)).toFixed(1) + ' GiB'
    : n >= 1 << 20 ? (n / (1 << 20)).toFixed(1) + ' MiB'
      : n >= 1024 ? (n / 1024).toFixed(1) + ' KiB' : n + ' B');

  function showClients(answer) {
    const body = $('clients').tBodies[0];
    body.replaceChildren();
    $('clients-count').textContent = '(' + answer.clients.length + ')';
    for (const c of answer.clients) {
      const row = body.insertRow();
      row.dataset.clientId = c.clientId;
      cell(row, c.clientId);
      cell(row, c.username);
      cell(row, c.address);
      cell(row, c.listener);
      cell(row, c.protocol);
      cell(row, c.connectedSince);
      cell(row, c.inflight, 'num');
      cell(row, c.queued, 'num');
      actions(row, [['Disconnect', 'Disconnect client ' + c.clientId + '?', async () => {
        await api('POST', '/api/clients/' + id(c.clientId) + '/disconnect');
        return 'disconnected ' + c.clientId;
      }]]);
    }
  }

  function showSessions(answer) {
    const body = $('sessions').tBodies[0];
    body.replaceChildren();
    sessionsNext = answer.next;
    const first = (sessionCursors.length - 1) * SESSIONS_PAGE;
    const paged = sessionsOrder === 'clientId' && (sessionCursors.length > 1 || answer.next !== null);
    $('sessions-count').textContent = paged
      ? '(' + (first + 1) + '–' + (first + answer.sessions.length) + ' of ' + answer.total + ')'
      : sessionsOrder === 'queued' ? '(' + answer.sessions.length + ' largest queues of ' + answer.total + ')'
        : '(' + answer.total + ')';
    $('sessions-pages').hidden = !paged;
    $('sessions-page').textContent = 'page ' + sessionCursors.length;
    $('sessions-previous').disabled = sessionCursors.length === 1;
    $('sessions-next').disabled = answer.next === null;
    for (const s of answer.sessions) {
      const row = body.insertRow();
      row.dataset.clientId = s.clientId;
      cell(row, s.clientId);
      cell(row, (s.online ? 'online' : 'offline') + (s.purging ? ', purging' : ''));
      cell(row, s.queued, 'num');
      cell(row, bytes(s.queuedBytes), 'num');
      cell(row, s.oldestQueuedAgeMillis === null ? '' : (s.oldestQueuedAgeMillis / 1000).toFixed(1) + ' s', 'num');
      cell(row, s.inflight, 'num');
      cell(row, s.expiresAt);
      actions(row, [
        ['Purge', 'Remove the ' + s.queued + ' queued messages of ' + s.clientId + '?', async () => {
          const r = await api('POST', '/api/sessions/' + id(s.clientId) + '/purge');
          return r.purging
            ? 'purging ' + s.clientId + ': ' + r.purged + ' messages removed so far, the rest in steps'
            : 'purged ' + r.purged + ' messages of ' + s.clientId;
        }],
        ['Delete', 'Delete the session of ' + s.clientId + ' with its subscriptions and ' + s.queued
          + ' queued messages' + (s.online ? ', disconnecting its client' : '') + '?', async () => {
          await api('DELETE', '/api/sessions/' + id(s.clientId));
          return 'deleted the session of ' + s.clientId;
        }],
      ]);
    }
  }

  function showJournal(j) {
    const list = $('journal');
    list.replaceChildren();
    const rows = [
      ['data directory', j.dataDir],
      ['journal', bytes(j.journalBytes) + ' in ' + j.cycleFiles + ' cycle files'],
      ['cycle files', (j.firstCycleFile || '–') + ' … ' + (j.lastCycleFile || '–')],
      ['index', bytes(j.indexBytes)],
      ['disk free', bytes(j.diskFreeBytes) + ' of ' + bytes(j.diskTotalBytes)],
      ['appended since start', j.appendedRecords + ' records, ' + bytes(j.appendedBytes)],
      ['synced position', j.syncedPosition],
      ['index unapplied records', j.indexUnappliedRecords],
      ['refusing new data', j.refusingNewData ? 'yes: disk below disk_free_min_bytes' : 'no'],
    ];
    for (const [term, value] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = String(value);
      list.append(dt, dd);
    }
  }

  async function pollApi() {
    if (!authorization) {
      return;
    }
    try {
      const cursors = sessionCursors;
      const after = cursors[cursors.length - 1];
      const [clients, sessions, journal] = await Promise.all([
        api('GET', '/api/clients'),
        api('GET', '/api/sessions?limit=' + SESSIONS_PAGE + (sessionsOrder === 'queued' ? '&order=queued'
          : after === null ? '' : '&after=' + id(after))),
        api('GET', '/api/journal')]);
      showClients(clients);
      showJournal(journal);
      if (cursors !== sessionCursors) {
        return; // The user turned the page meanwhile; that page's answer is on its way.
      }
      if (sessions.sessions.length === 0 && cursors.length > 1) {
        // Every session of this page went (deleted or expired): show the one before.
        sessionCursors = cursors.slice(0, -1);
        pollApi();
        return;
      }
      showSessions(sessions);
    } catch (e) {
      $('status').textContent = 'admin API: ' + e.message;
    }
  }

  function start() {
    $('login').hidden = true;
    $('board').hidden = false;
    $('logout').hidden = false;
    $('login-error').textContent = '';
    if (!charts) {
      makeCharts();
    }
    pollMetrics();
    pollApi();
    timers.push(setInterval(pollMetrics, METRICS_EVERY_MS), setInterval(pollApi, API_EVERY_MS));
  }

  function turnSessionsPage(cursors) {
    sessionCursors = cursors;
    $('sessions-previous').disabled = true;
    $('sessions-next').disabled = true;
    pollApi();
  }

  $('sessions-order').addEventListener('change', () => {
    sessionsOrder = $('sessions-order').value;
    turnSessionsPage([null]);
  });
  $('sessions-next').addEventListener('click', () => {
    if (sessionsNext !== null) {
      turnSessionsPage(sessionCursors.concat([sessionsNext]));
    }
  });
  $('sessions-previous').addEventListener('click', () => {
    if (sessionCursors.length > 1) {
      turnSessionsPage(sessionCursors.slice(0, -1));
    }
  });
  $('login').addEventListener('submit', signIn);
  $('logout').addEventListener('click', () => signOut(''));
  if (authorization) {
    start();
  } else {
    $('login').hidden = false;
  }
})();
