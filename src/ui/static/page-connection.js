// Connection page: credentials entered or taken from the environment, stored in .env beside the
// configuration; "Test connection" shows what `autotask-sync check` shows.
import { api } from './api.js';
import { budgetGauge } from './charts.js';
import { h, labelled, replace, toast } from './dom.js';

const FROM = { environment: 'from the environment', '.env': 'stored in .env', missing: 'not set' };

export async function connectionPage(main) {
  const status = h('div', { className: 'card', 'aria-live': 'polite' });
  const result = h('div', { className: 'card result', 'aria-live': 'polite' });
  const form = h('form', { className: 'card form-grid', novalidate: true });
  replace(
    main,
    h('h1', {}, 'Connection'),
    h(
      'p',
      { className: 'lead' },
      'Autotask API user credentials. They are stored in a .env file beside the configuration (readable by you only) and never shown again.',
    ),
    status,
    form,
    result,
  );

  const url = h('input', {
    type: 'url',
    name: 'url',
    autocomplete: 'off',
    placeholder: 'https://webservices2.autotask.net/ATServicesRest/',
  });
  const username = h('input', { type: 'email', name: 'username', autocomplete: 'username' });
  const secret = h('input', { type: 'password', name: 'secret', autocomplete: 'new-password' });
  const code = h('input', { type: 'password', name: 'integrationCode', autocomplete: 'off' });
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'off' });

  async function refresh() {
    const c = await api('GET', '/connection');
    const from = Object.fromEntries(c.sources.map((s) => [s.variable, s.from]));
    url.value = c.url ?? '';
    username.value = c.username ?? '';
    secret.value = '';
    code.value = '';
    token.value = '';
    token.placeholder = from.AUTOTASK_TOKEN !== 'missing' ? 'stored — leave empty to keep' : '';
    secret.placeholder =
      from.AUTOTASK_SECRET !== 'missing' || from.AUTOTASK_TOKEN !== 'missing'
        ? 'stored — leave empty to keep'
        : '';
    code.placeholder = from.AUTOTASK_INTEGRATION_CODE !== 'missing' ? 'stored — leave empty to keep' : '';
    replace(
      status,
      h('h2', {}, 'Current settings'),
      h(
        'dl',
        { className: 'settings' },
        [
          ['Zone URL', 'AUTOTASK_URL', c.url ?? 'found by zone discovery'],
          ['User name', 'AUTOTASK_USERNAME', c.username ?? '—'],
          ['Secret', 'AUTOTASK_SECRET', null],
          ['Token (user:secret)', 'AUTOTASK_TOKEN', null],
          ['Integration code', 'AUTOTASK_INTEGRATION_CODE', null],
        ].map(([label, variable, shown]) => [
          h('dt', {}, label),
          h(
            'dd',
            {},
            shown === null ? '' : `${shown} · `,
            h('span', { className: `src src-${from[variable].replace('.', '')}` }, FROM[from[variable]]),
          ),
        ]),
      ),
      c.complete ? null : h('p', { className: 'warn' }, c.problem),
      h(
        'p',
        { className: 'muted' },
        `Stored in ${c.envFile}. Variables set in the environment win over the file.`,
      ),
    );
  }

  replace(
    form,
    h('h2', {}, 'Enter or change'),
    labelled(
      'REST zone URL (optional)',
      url,
      'Leave empty to find the zone from the user name. A legacy .asmx/.wsdl URL works too.',
    ),
    labelled('API user name', username),
    labelled('Secret', secret),
    labelled('Integration code (tracking identifier)', code),
    labelled('or a token instead of user name and secret', token, 'Base64 of "username:secret".'),
    h(
      'div',
      { className: 'actions' },
      h('button', { type: 'submit', className: 'primary' }, 'Save'),
      h('button', { type: 'button', id: 'test-connection', onclick: () => void test() }, 'Test connection'),
    ),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { url: url.value.trim(), username: username.value.trim() || null };
    if (secret.value) body.secret = secret.value;
    if (code.value) body.integrationCode = code.value;
    if (token.value) body.token = token.value;
    try {
      await api('PUT', '/connection', body);
      toast('Connection settings saved.');
      await refresh();
    } catch (error) {
      replace(result, h('p', { className: 'error', role: 'alert' }, error.message));
    }
  });

  async function test() {
    replace(result, h('p', {}, 'Testing…'));
    try {
      const r = await api('POST', '/connection/test');
      if (!r.ok) {
        replace(
          result,
          h('h2', {}, 'Test connection'),
          h('p', { className: 'error', role: 'alert' }, `✗ ${r.error.message}`),
          h('p', { className: 'muted' }, `code ${r.error.code}`),
        );
        return;
      }
      replace(
        result,
        h('h2', {}, 'Test connection'),
        h(
          'p',
          { className: 'ok' },
          `✓ Connected to ${r.url}${r.zone ? ` (zone ${r.zone})` : ''} as ${r.username}, API ${r.apiVersion}`,
        ),
        budgetGauge(r.budget),
      );
    } catch (error) {
      replace(result, h('p', { className: 'error', role: 'alert' }, error.message));
    }
  }

  await refresh();
}
