// Mapping editor: one sync at a time — source, object, write mode, and a table of the object's
// Autotask fields with source column, default and direction. Changes are checked live with the same
// findings as `autotask-sync check`; "Save" writes the same YAML file the CLI reads.
import { api, upload } from './api.js';
import { h, labelled, nextId, replace, select, toast } from './dom.js';

const OBJECTS = ['Company', 'Contact', 'Opportunity'];
const MODES = [
  { value: 'upsert', label: 'upsert: create or update' },
  { value: 'create', label: 'create only' },
  { value: 'update', label: 'update only' },
];
const SOURCE_TYPES = [
  { value: 'csv', label: 'CSV file' },
  { value: 'jsonl', label: 'JSON Lines file' },
  { value: 'sqlite', label: 'SQLite table or query' },
  { value: 'postgres', label: 'PostgreSQL table or query' },
];

/** The mapping object form of a field spec (shorthand string → `{ column }`). */
function specObject(spec) {
  if (spec === undefined) return {};
  return typeof spec === 'string' ? { column: spec } : { ...spec };
}

/** Back to the shortest form; undefined when the mapping would set nothing. */
function compactSpec(obj) {
  if (obj.default === '' || obj.default === undefined) delete obj.default;
  if (!obj.column) delete obj.column;
  if (!obj.direction || obj.direction === 'source') delete obj.direction;
  if (
    obj.column === undefined &&
    obj.value === undefined &&
    obj.template === undefined &&
    obj.default === undefined
  )
    return undefined;
  const keys = Object.keys(obj);
  return keys.length === 1 && keys[0] === 'column' ? obj.column : obj;
}

/** A default typed the way the YAML should hold it: numbers and booleans unquoted. */
function typedDefault(text, field) {
  const t = text.trim();
  if (t === '') return '';
  if (field.picklist) return t; // picklists by label
  if (field.dataType === 'boolean') return t === 'true';
  if (/^(integer|long|short|double|decimal)$/.test(field.dataType) && /^-?\d+(\.\d+)?$/.test(t))
    return Number(t);
  return t;
}

/** A setting as short text: `DD/MM/YYYY`, `[a, b]`, `{ Gold: Customer }`. */
function shortValue(v) {
  if (Array.isArray(v)) return `[${v.map(shortValue).join(', ')}]`;
  if (v !== null && typeof v === 'object')
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k}: ${shortValue(x)}`)
      .join(', ')} }`;
  return v === null ? 'null' : String(v);
}

/** A transform list as text: `trim → lower → date(format: DD/MM/YYYY)`. */
export function transformText(list) {
  return list
    .map((t) => {
      if (typeof t === 'string') return t;
      const { type, ...options } = t;
      const text = Object.entries(options)
        .map(([k, v]) => `${k}: ${shortValue(v)}`)
        .join(', ');
      return text ? `${type}(${text})` : type;
    })
    .join(' → ');
}

const OPERATOR_TEXT = {
  eq: 'is',
  ne: 'is not',
  in: 'is one of',
  notIn: 'is none of',
  empty: 'is empty',
  notEmpty: 'is not empty',
  matches: 'matches',
};

/** A `where:` row filter as text: `Status is none of [inactive, deleted] and Email is not empty`. */
export function whereText(w) {
  if (!w || typeof w !== 'object') return String(w);
  if (Array.isArray(w.all)) return w.all.map((x) => `(${whereText(x)})`).join(' and ');
  if (Array.isArray(w.any)) return w.any.map((x) => `(${whereText(x)})`).join(' or ');
  if (w.not !== undefined) return `not (${whereText(w.not)})`;
  const op = Object.keys(OPERATOR_TEXT).find((o) => w[o] !== undefined);
  if (!op) return shortValue(w);
  const value = op === 'empty' || op === 'notEmpty' ? '' : ` ${shortValue(w[op])}`;
  return `${w.column} ${OPERATOR_TEXT[op]}${value}${w.ignoreCase ? ' (ignoring case)' : ''}`;
}

/** What identifies a record of each object when a sync sets no `key:` (product.md §3). */
const DEFAULT_KEYS = {
  Company: 'the company name, normalised',
  Contact: 'the email address',
  Opportunity: 'title + close date + company/contact',
};

export async function mappingPage(main, params) {
  const state = {
    config: null,
    index: null,
    draft: null,
    catalog: new Map(),
    columns: null,
    proposal: null,
    findings: [],
    checked: null,
    note: null,
    showAll: false,
    filter: '',
  };
  let timer = null;

  const header = h('div');
  const editor = h('div');
  replace(main, h('h1', {}, 'Mapping'), header, editor);

  async function loadConfig() {
    state.config = await api('GET', '/config');
  }

  function newDraft() {
    const used = new Set(state.config.syncs.map((s) => s.name));
    const object = used.has('companies') ? 'Contact' : 'Company';
    let name = object === 'Company' ? 'companies' : 'contacts';
    for (let i = 2; used.has(name); i++) name = `${object.toLowerCase()}-${i}`;
    return { name, object, mode: 'upsert', source: { type: 'csv', path: '' }, fields: {} };
  }

  async function open(index) {
    state.index = index;
    state.draft = index === null ? newDraft() : structuredClone(state.config.syncs[index]);
    state.draft.fields ??= {};
    state.columns = null;
    state.proposal = null;
    state.findings = [];
    state.checked = null;
    renderHeader();
    await ensureCatalog(state.draft.object);
    if (sourceReady())
      await readColumns({ propose: Object.keys(state.draft.fields).length === 0, quiet: true });
    render();
    validateSoon(0);
  }

  function sourceReady() {
    const s = state.draft.source ?? {};
    return s.type === 'postgres'
      ? Boolean(s.url && (s.table || s.query))
      : Boolean(s.path && (s.type !== 'sqlite' || s.table || s.query));
  }

  async function ensureCatalog(object) {
    if (state.catalog.has(object)) return;
    try {
      const res = await api('GET', `/objects/${object}/fields`);
      state.catalog.set(object, res.fields);
    } catch (error) {
      state.note = `Autotask's field list could not be read (${error.message}). Set up the connection first.`;
    }
  }

  async function readColumns({ propose, quiet } = {}) {
    try {
      const res = await api('POST', '/source/columns', {
        source: state.draft.source,
        object: state.draft.object,
      });
      state.columns = res.columns;
      state.proposal = res.proposal ?? null;
      if (propose) applyProposal();
      if (!quiet) toast(`${res.columns.length} columns read from ${res.name}.`);
    } catch (error) {
      state.columns = null;
      state.proposal = null;
      if (!quiet) toast(error.message);
      state.sourceError = error.message;
      return;
    }
    state.sourceError = null;
  }

  function applyProposal() {
    if (!state.proposal) return 0;
    let n = 0;
    for (const m of state.proposal.mappings) {
      if (state.draft.fields[m.field] !== undefined) continue;
      const spec = { column: m.column };
      if (m.ref) spec.ref = m.ref;
      if (m.transform) spec.transform = m.transform;
      if (m.default !== undefined) spec.default = m.default;
      state.draft.fields[m.field] = compactSpec(spec);
      n++;
    }
    for (const d of state.proposal.defaults) {
      if (state.draft.fields[d.field] !== undefined) continue;
      state.draft.fields[d.field] = { default: d.value };
      n++;
    }
    return n;
  }

  function changed({ rerender = true } = {}) {
    if (rerender) render();
    validateSoon();
  }

  function validateSoon(delay = 400) {
    clearTimeout(timer);
    timer = setTimeout(() => void validate(), delay);
  }

  async function validate() {
    const draft = state.draft;
    try {
      const res = await api('POST', '/validate', { index: state.index, sync: draft });
      if (draft !== state.draft) return;
      state.findings = res.findings;
      state.checked = res.checked;
      state.note = res.note ?? null;
    } catch (error) {
      state.findings = [{ severity: 'error', code: error.code, path: '', message: error.message, fix: '' }];
    }
    renderFindings();
    markRows();
  }

  function renderHeader() {
    const c = state.config;
    replace(
      header,
      h(
        'p',
        { className: 'lead' },
        'Configuration file: ',
        h('code', {}, c.file),
        c.exists ? '' : ' (created when you save)',
      ),
      c.issues.length > 0
        ? h(
            'div',
            { className: 'card error', role: 'alert' },
            h('p', {}, 'The configuration file has problems:'),
            h(
              'ul',
              {},
              c.issues.map((i) => h('li', {}, `${i.path}: ${i.message}`)),
            ),
          )
        : null,
      h(
        'nav',
        { className: 'sync-tabs', 'aria-label': 'Syncs' },
        c.syncs.map((s, i) =>
          h(
            'button',
            { type: 'button', 'aria-pressed': String(state.index === i), onclick: () => void open(i) },
            `${s.name} (${s.object})`,
          ),
        ),
        h(
          'button',
          { type: 'button', 'aria-pressed': String(state.index === null), onclick: () => void open(null) },
          '+ New sync',
        ),
      ),
      c.twoWay?.length > 0
        ? h(
            'p',
            { className: 'hint', id: 'two-way-syncs' },
            `Two-way syncs (edited in the YAML file, planned and run with the others): `,
            c.twoWay.map((t, i) => [i > 0 ? ', ' : '', h('code', {}, t.name), ` (${t.object} ⇄ ${t.table})`]),
            '.',
          )
        : null,
    );
  }

  const fieldsSection = h('section', { className: 'card', 'aria-labelledby': 'fields-h' });
  const findingsSection = h('section', {
    className: 'card findings',
    'aria-labelledby': 'findings-h',
    'aria-live': 'polite',
  });

  function render() {
    const d = state.draft;
    const nameInput = h('input', {
      type: 'text',
      value: d.name,
      required: true,
      oninput: (e) => {
        d.name = e.target.value;
        changed({ rerender: false });
      },
    });
    const objectSelect = select(OBJECTS, d.object, {
      onchange: async (e) => {
        d.object = e.target.value;
        await ensureCatalog(d.object);
        if (state.columns) await readColumns({ quiet: true });
        changed();
      },
    });
    const modeSelect = select(MODES, d.mode ?? 'upsert', {
      onchange: (e) => {
        d.mode = e.target.value;
        changed({ rerender: false });
      },
    });
    replace(
      editor,
      h(
        'section',
        { className: 'card form-grid', 'aria-labelledby': 'basics-h' },
        h('h2', { id: 'basics-h' }, state.index === null ? 'New sync' : `Sync “${d.name}”`),
        labelled('Name', nameInput, 'Used in logs, the ledger and `--only`.'),
        labelled('Autotask object', objectSelect),
        labelled(
          'Write mode',
          modeSelect,
          'create skips records already in Autotask; update skips new ones.',
        ),
      ),
      sourceSection(),
      yamlOnlySection(),
      fieldsSection,
      findingsSection,
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          { type: 'button', className: 'primary', id: 'save-sync', onclick: () => void save() },
          'Save to configuration',
        ),
        state.index === null
          ? null
          : h(
              'button',
              { type: 'button', className: 'danger', onclick: () => void remove() },
              'Delete this sync',
            ),
      ),
    );
    renderFields();
    renderFindings();
    markRows();
  }

  function sourceSection() {
    const d = state.draft;
    const s = d.source ?? (d.source = { type: 'csv', path: '' });
    const typeSelect = select(SOURCE_TYPES, s.type, {
      onchange: (e) => {
        const type = e.target.value;
        d.source =
          type === 'postgres'
            ? { type, url: '${DATABASE_URL}', table: '' }
            : type === 'sqlite'
              ? { type, path: '', table: '' }
              : { type, path: '' };
        state.columns = null;
        changed();
      },
    });
    const text = (key, label, hint) =>
      labelled(
        label,
        h('input', {
          type: 'text',
          value: s[key] ?? '',
          oninput: (e) => {
            if (e.target.value) s[key] = e.target.value;
            else delete s[key];
            changed({ rerender: false });
          },
        }),
        hint,
      );
    const fileInput = h('input', {
      type: 'file',
      accept: '.csv,.tsv,.txt,.jsonl,.ndjson',
      onchange: async (e) => {
        const file = e.target.files[0];
        if (!file) return;
        try {
          const res = await upload(file);
          s.path = res.path;
          toast(`Uploaded ${file.name} as ${res.path}.`);
          await readColumns({ propose: Object.keys(d.fields).length === 0 });
          changed();
        } catch (error) {
          toast(error.message);
        }
      },
    });
    const columns = state.columns
      ? h('p', { className: 'muted' }, `${state.columns.length} columns: ${state.columns.join(', ')}`)
      : state.sourceError
        ? h('p', { className: 'warn' }, state.sourceError)
        : null;
    return h(
      'section',
      { className: 'card form-grid', 'aria-labelledby': 'source-h' },
      h('h2', { id: 'source-h' }, 'Source'),
      labelled('Source type', typeSelect),
      s.type === 'postgres'
        ? [
            text('url', 'Connection URL', 'Write ${DATABASE_URL} and keep the URL in .env.'),
            text('table', 'Table'),
            text('query', 'or query'),
          ]
        : [
            text(
              'path',
              s.type === 'sqlite' ? 'Database file' : 'File path',
              'Relative to the configuration file’s folder.',
            ),
            s.type === 'sqlite'
              ? [text('table', 'Table'), text('query', 'or query')]
              : labelled('or upload a file', fileInput),
          ],
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          {
            type: 'button',
            id: 'read-columns',
            onclick: async () => {
              await readColumns({ propose: Object.keys(d.fields).length === 0 });
              changed();
            },
          },
          'Read columns',
        ),
        h(
          'button',
          {
            type: 'button',
            id: 'propose',
            disabled: !state.proposal,
            onclick: () => {
              const n = applyProposal();
              toast(
                n === 0
                  ? 'Nothing new to propose.'
                  : `${n} field${n === 1 ? '' : 's'} proposed from column names.`,
              );
              changed();
            },
          },
          'Propose columns by name',
        ),
      ),
      columns,
    );
  }

  /** `key:` and `where:` of the sync: kept when the page saves, edited in the YAML file. */
  function yamlOnlySection() {
    const d = state.draft;
    const file = h('code', {}, state.config.file.split('/').pop());
    return h(
      'section',
      { className: 'card yaml-only', 'aria-labelledby': 'yaml-only-h', id: 'yaml-only' },
      h('h2', { id: 'yaml-only-h' }, 'Matching and row filter'),
      h(
        'dl',
        {},
        h('dt', {}, 'Key (how a row finds its Autotask record)'),
        h(
          'dd',
          { id: 'sync-key' },
          d.key
            ? h('code', {}, shortValue(d.key))
            : h('span', { className: 'muted' }, `default: ${DEFAULT_KEYS[d.object] ?? 'the object’s'}`),
        ),
        h('dt', {}, 'Row filter (which rows are synced)'),
        h(
          'dd',
          { id: 'sync-where' },
          d.where ? h('code', {}, whereText(d.where)) : h('span', { className: 'muted' }, 'none: every row'),
        ),
      ),
      h(
        'p',
        { className: 'hint' },
        'Set these in ',
        file,
        ' (',
        h('code', {}, 'key:'),
        ', ',
        h('code', {}, 'where:'),
        ' under the sync; see docs/configuration.md). This page shows them and keeps them when it saves, as it keeps transforms and templates (shown under each field).',
      ),
    );
  }

  function renderFields() {
    const d = state.draft;
    const catalog = state.catalog.get(d.object) ?? [];
    const known = new Set(catalog.map((f) => f.target));
    // mapped targets the metadata does not know (typos, removed UDFs) still get a row, so they can be fixed
    const extra = Object.keys(d.fields)
      .filter((t) => !known.has(t))
      .map((t) => ({
        target: t,
        label: t,
        udf: t.startsWith('udf:'),
        dataType: 'string',
        required: false,
        picklist: null,
        ref: null,
        unknown: true,
      }));
    const rows = [...catalog, ...extra].filter((f) => {
      if (state.filter && !`${f.label} ${f.target}`.toLowerCase().includes(state.filter.toLowerCase()))
        return false;
      return state.showAll || f.required || d.fields[f.target] !== undefined || f.unknown;
    });
    const filter = h('input', {
      type: 'search',
      value: state.filter,
      placeholder: 'e.g. phone',
      oninput: (e) => {
        state.filter = e.target.value;
        renderFields();
      },
    });
    const showAll = h('input', {
      type: 'checkbox',
      id: nextId('all'),
      checked: state.showAll,
      onchange: (e) => {
        state.showAll = e.target.checked;
        renderFields();
      },
    });
    replace(
      fieldsSection,
      h('h2', { id: 'fields-h' }, `Fields of ${d.object}`),
      h(
        'div',
        { className: 'toolbar' },
        labelled('Filter fields', filter),
        h(
          'div',
          { className: 'check' },
          showAll,
          h(
            'label',
            { for: showAll.id },
            `Show all ${catalog.length} fields (otherwise required and mapped ones)`,
          ),
        ),
      ),
      catalog.length === 0 ? h('p', { className: 'warn' }, state.note ?? 'No field list yet.') : null,
      h(
        'div',
        { className: 'table-wrap' },
        h(
          'table',
          { className: 'fields' },
          h(
            'caption',
            { className: 'sr-only' },
            `Autotask fields of ${d.object} and where their values come from`,
          ),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Autotask field'),
              h('th', { scope: 'col' }, 'Source column'),
              h('th', { scope: 'col' }, 'Default (on create)'),
              h('th', { scope: 'col' }, 'Direction'),
            ),
          ),
          h(
            'tbody',
            {},
            rows.map((f) => fieldRow(f)),
          ),
        ),
      ),
    );
    markRows();
  }

  function fieldRow(f) {
    const d = state.draft;
    const spec = specObject(d.fields[f.target]);
    const set = (mutate) => {
      const obj = specObject(d.fields[f.target]);
      mutate(obj);
      const next = compactSpec(obj);
      if (next === undefined) delete d.fields[f.target];
      else d.fields[f.target] = next;
      changed({ rerender: false });
    };
    const name = f.label;
    let columnCell;
    if (spec.template !== undefined || spec.value !== undefined) {
      columnCell = h(
        'span',
        { className: 'muted' },
        spec.template !== undefined ? `template: ${spec.template}` : `constant: ${String(spec.value)}`,
        ' (edit in the YAML file)',
      );
    } else {
      const options = [
        { value: '', label: '— not mapped —' },
        ...(state.columns ?? []).map((c) => ({ value: c, label: c })),
      ];
      if (spec.column && !(state.columns ?? []).includes(spec.column))
        options.push({ value: spec.column, label: `${spec.column} (not in source)` });
      columnCell = select(options, spec.column ?? '', {
        'aria-label': `${name}: source column`,
        onchange: (e) =>
          set((o) => {
            o.column = e.target.value;
            if (o.column && f.ref && !o.ref) o.ref = f.ref;
          }),
      });
    }
    let defaultCell;
    const current = spec.default === undefined ? '' : String(spec.default);
    if (f.picklist) {
      const options = [
        { value: '', label: '— none —' },
        ...f.picklist.map((p) => ({ value: p.label, label: p.label })),
      ];
      if (current && !f.picklist.some((p) => p.label === current || p.value === current))
        options.push({ value: current, label: `${current} (not in picklist)` });
      const match = f.picklist.find((p) => p.value === current);
      defaultCell = select(options, match ? match.label : current, {
        'aria-label': `${name}: default`,
        onchange: (e) => set((o) => (o.default = e.target.value)),
      });
    } else if (f.dataType === 'boolean') {
      defaultCell = select([{ value: '', label: '— none —' }, 'true', 'false'], current, {
        'aria-label': `${name}: default`,
        onchange: (e) => set((o) => (o.default = typedDefault(e.target.value, f))),
      });
    } else {
      defaultCell = h('input', {
        type: 'text',
        value: current,
        'aria-label': `${name}: default`,
        onchange: (e) => set((o) => (o.default = typedDefault(e.target.value, f))),
      });
    }
    const direction = select(
      [
        { value: 'source', label: 'source wins' },
        { value: 'autotask', label: 'fill if empty in Autotask' },
      ],
      spec.direction ?? 'source',
      { 'aria-label': `${name}: direction`, onchange: (e) => set((o) => (o.direction = e.target.value)) },
    );
    const yamlOnly =
      spec.transform?.length > 0
        ? h(
            'p',
            { className: 'hint transform' },
            'transform: ',
            h('code', {}, transformText(spec.transform)),
            ' (edit in the YAML file)',
          )
        : null;
    return h(
      'tr',
      { 'data-target': f.target },
      h(
        'th',
        { scope: 'row' },
        h('span', { className: 'field-name' }, name),
        f.udf ? h('span', { className: 'badge udf', title: 'user-defined field' }, 'UDF') : null,
        f.required
          ? h('span', { className: 'badge req', title: f.requiredReason ?? 'required' }, 'required')
          : null,
        f.ref
          ? h('span', { className: 'badge', title: `names a ${f.ref} by id, name or email` }, `→ ${f.ref}`)
          : null,
        f.unknown ? h('span', { className: 'badge bad' }, 'unknown field') : null,
        f.required && f.requiredReason ? h('span', { className: 'sr-only' }, ` (${f.requiredReason})`) : null,
      ),
      h('td', {}, columnCell, yamlOnly),
      h('td', {}, defaultCell),
      h('td', {}, direction),
    );
  }

  function renderFindings() {
    const errors = state.findings.filter((f) => f.severity === 'error').length;
    const warnings = state.findings.length - errors;
    replace(
      findingsSection,
      h('h2', { id: 'findings-h' }, 'Check'),
      state.note ? h('p', { className: 'warn' }, state.note) : null,
      state.checked === null
        ? h('p', { className: 'muted' }, 'Checking…')
        : state.findings.length === 0
          ? h(
              'p',
              { className: 'ok', id: 'check-summary' },
              state.checked === 'metadata'
                ? '✓ No findings: this sync matches the tenant’s metadata.'
                : '✓ The settings are well-formed.',
            )
          : h(
              'p',
              { className: errors ? 'error' : 'warn', id: 'check-summary' },
              `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
            ),
      h(
        'ul',
        { className: 'finding-list' },
        state.findings.map((f) =>
          h(
            'li',
            { className: f.severity },
            h('span', { className: `badge ${f.severity === 'error' ? 'bad' : 'warnb'}` }, f.severity),
            ' ',
            h('code', {}, f.path.replace(/^syncs\[\d+\]\./, '')),
            ': ',
            f.message,
            f.fix ? h('div', { className: 'fix' }, `Fix: ${f.fix}`) : null,
          ),
        ),
      ),
    );
  }

  function markRows() {
    for (const row of fieldsSection.querySelectorAll('tr[data-target]')) {
      const target = row.dataset.target;
      const hit = state.findings.find(
        (f) =>
          f.severity === 'error' &&
          (f.path.includes(`.fields.${target}`) ||
            f.message.includes(`${target} `) ||
            f.message.includes(`"${target}"`)),
      );
      row.classList.toggle('has-error', Boolean(hit));
      if (hit) row.title = hit.message;
      else row.removeAttribute('title');
    }
  }

  async function save() {
    try {
      const res = await api('PUT', '/config/syncs', { index: state.index, sync: state.draft });
      state.config.syncs = res.syncs;
      state.config.exists = true;
      state.index ??= res.syncs.length - 1;
      toast(`Saved “${state.draft.name}” to the configuration.`);
      await loadConfig();
      renderHeader();
      render();
      validateSoon(0);
    } catch (error) {
      state.findings = (error.issues.length ? error.issues : [{ path: '', message: error.message }]).map(
        (i) => ({ severity: 'error', code: error.code, path: i.path, message: i.message, fix: '' }),
      );
      state.checked = 'structure';
      renderFindings();
      toast('Not saved: fix the errors listed under Check.');
    }
  }

  async function remove() {
    if (!confirm(`Delete the sync “${state.draft.name}” from the configuration?`)) return;
    await api('DELETE', `/config/syncs/${state.index}`);
    await loadConfig();
    await open(state.config.syncs.length > 0 ? 0 : null);
  }

  await loadConfig();
  const wanted =
    params[0] === 'new'
      ? null
      : params[0] !== undefined
        ? Number(params[0])
        : state.config.syncs.length > 0
          ? 0
          : null;
  await open(Number.isInteger(wanted) && wanted < state.config.syncs.length ? wanted : null);
  return () => clearTimeout(timer);
}
