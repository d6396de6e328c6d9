// The adviser console: a thin client of the adviser API. Everything user-supplied is set with
// textContent (never innerHTML). The token lives only in this tab's sessionStorage.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });
  let token = sessionStorage.getItem('tribe-adviser-token') || '';

  async function api(method, path, body) {
    const headers = { Authorization: 'Bearer ' + token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((data.error && data.error.message) || 'request failed (' + response.status + ')');
    return data;
  }

  function say(message, isError) {
    $('status').textContent = message;
    $('status').className = isError ? 'error' : '';
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  async function load() {
    try {
      const query = $('open-only').checked ? '?open=true' : '';
      const { items } = await api('GET', '/api/escalations' + query);
      const rows = $('rows');
      rows.replaceChildren();
      for (const item of items) {
        const tr = document.createElement('tr');
        cell(tr, london.format(new Date(item.createdAt)));
        cell(tr, item.id);
        cell(tr, item.severity, 'sev-' + item.severity);
        cell(tr, item.category);
        cell(tr, item.status + (item.safeCheck ? ' (said: ' + item.safeCheck.answer + ')' : ''));
        cell(tr, item.excerpt, 'excerpt');
        const actions = cell(tr, '');
        if (item.status === 'raised' || item.status === 'notified') {
          const ack = document.createElement('button');
          ack.textContent = 'Acknowledge';
          ack.addEventListener('click', () => act(() => api('POST', '/api/escalations/' + item.id + '/acknowledge'), 'Acknowledged ' + item.id));
          actions.appendChild(ack);
        }
        if (item.status !== 'resolved') {
          const res = document.createElement('button');
          res.textContent = 'Resolve';
          res.addEventListener('click', () => openResolve(item.id));
          actions.appendChild(res);
        } else if (item.resolutionNote) {
          actions.textContent = 'Resolved: ' + item.resolutionNote;
        }
        rows.appendChild(tr);
      }
      say(items.length + ' escalation(s)');
    } catch (error) {
      say(error.message, true);
    }
  }

  async function act(call, done) {
    try {
      await call();
      say(done);
    } catch (error) {
      say(error.message, true);
    }
    await load();
  }

  function openResolve(id) {
    $('resolve-id').textContent = id;
    $('note').value = '';
    const dialog = $('resolve-dialog');
    dialog.onclose = () => {
      if (dialog.returnValue === 'ok' && $('note').value.trim()) {
        act(() => api('POST', '/api/escalations/' + id + '/resolve', { note: $('note').value }), 'Resolved ' + id);
      }
    };
    dialog.showModal();
  }

  async function signIn() {
    try {
      const me = await api('GET', '/api/advisers/me');
      $('who').textContent = 'Signed in as ' + me.id + (me.team === 'duty' ? ' (duty team)' : '');
      $('who').hidden = false;
      $('main').hidden = false;
      await load();
    } catch (error) {
      $('main').hidden = true;
      say(error.message, true);
      $('who').hidden = false;
      $('who').textContent = error.message;
    }
  }

  $('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('token').value;
    sessionStorage.setItem('tribe-adviser-token', token);
    $('token').value = '';
    signIn();
  });
  $('refresh').addEventListener('click', load);
  $('open-only').addEventListener('change', load);
  $('invite').addEventListener('click', async () => {
    try {
      const { code, expiresAt } = await api('POST', '/api/invites');
      $('invite-out').textContent = code + ' (until ' + london.format(new Date(expiresAt)) + ')';
    } catch (error) {
      say(error.message, true);
    }
  });
  $('link').addEventListener('click', async () => {
    try {
      const { send, expiresAt } = await api('POST', '/api/advisers/me/link-code');
      $('link-out').textContent = 'Send this to Tribe in Teams: ' + send + ' (until ' + london.format(new Date(expiresAt)) + ')';
    } catch (error) {
      say(error.message, true);
    }
  });
  if (token) signIn();
})();
