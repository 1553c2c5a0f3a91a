// Polls the instance's own state every second and renders it: with the poll's round trip, a drain still shows within
// 2 s of SIGTERM (a 2 s poll cannot promise that). A file of its own, so the page's Content-Security-Policy
// can forbid inline script.
'use strict';

const statePath = '/status-page/state';
const intervalMs = 1000;

function text(id, value) {
  document.getElementById(id).textContent = value;
}

function stateBadge(element, state) {
  element.textContent = state;
  element.className = 'state ' + state.replace(' ', '-');
}

function duration(totalSeconds) {
  const s = Math.floor(totalSeconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const parts = [];
  if (days > 0) parts.push(days + ' d');
  if (days > 0 || hours > 0) parts.push(hours + ' h');
  if (days > 0 || hours > 0 || minutes > 0) parts.push(minutes + ' min');
  parts.push((s % 60) + ' s');
  return parts.join(' ');
}

function render(state) {
  document.body.dataset.slot = state.slot;
  document.body.dataset.readiness = state.readiness;
  text('slot', state.slot);
  text('version', state.version);
  text('commit', state.commit);
  text('instance', state.instance);
  text('uptime', duration(state.uptimeSeconds));
  stateBadge(document.getElementById('readiness'), state.readiness);

  const rows = state.checks.map(check => {
    const row = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = check.name;
    const cell = document.createElement('td');
    const badge = document.createElement('span');
    stateBadge(badge, check.state);
    cell.append(badge);
    row.append(name, cell);
    return row;
  });
  document.querySelector('#checks tbody').replaceChildren(...rows);

  const reference = document.getElementById('api-reference');
  reference.hidden = state.apiReference === null;
  if (state.apiReference !== null) reference.href = state.apiReference;
  document.getElementById('openapi').href = state.openApiDocument;
  const dashboard = document.getElementById('dashboard');
  dashboard.hidden = state.dashboard === null;
  if (state.dashboard !== null) dashboard.href = state.dashboard;
  text('updated', 'updated ' + new Date().toLocaleTimeString());
}

async function refresh() {
  try {
    const response = await fetch(statePath, { cache: 'no-store', signal: AbortSignal.timeout(intervalMs) });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    render(await response.json());
  } catch {
    // The instance stopped answering: after a drain, or when the route moved. Say so; keep the last slot shown.
    document.body.dataset.readiness = 'unreachable';
    stateBadge(document.getElementById('readiness'), 'unreachable');
    text('updated', 'no answer at ' + new Date().toLocaleTimeString());
  } finally {
    setTimeout(refresh, intervalMs);
  }
}

refresh();
