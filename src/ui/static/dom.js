// Tiny DOM helpers: build elements without innerHTML (no injection from data), format values.

/**
 * Creates an element. `attrs`: attributes, `on*` functions become listeners, `className`, `text`.
 * Children may be strings, nodes, arrays, null/undefined/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'className') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'value') el.value = value;
    else if (key === 'checked' || key === 'selected' || key === 'disabled') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An SVG element (charts). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs))
    if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let uid = 0;
/** A unique id for label/control pairs. */
export function nextId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A labelled control: `<div class="field"><label for>…</label>control hint</div>`. */
export function labelled(label, control, hint) {
  if (!control.id) control.id = nextId();
  let hintEl = null;
  if (hint) {
    hintEl = h('p', { className: 'hint', id: `${control.id}-hint` }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { className: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

/** A `<select>` of options: strings or `{ value, label }`. */
export function select(options, value, attrs = {}) {
  return h(
    'select',
    attrs,
    options.map((o) => {
      const v = typeof o === 'string' ? o : o.value;
      const l = typeof o === 'string' ? o : o.label;
      return h('option', { value: v, selected: String(v) === String(value ?? '') }, l);
    }),
  );
}

export const fmt = {
  number: (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en')),
  time: (ms) =>
    ms ? new Date(ms).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' }) : '–',
  duration: (ms) => {
    if (ms === null || ms === undefined) return '–';
    const s = Math.round(ms / 1000);
    return s < 60
      ? `${s} s`
      : s < 3600
        ? `${Math.floor(s / 60)} min ${s % 60} s`
        : `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  },
  value: (v) =>
    v === null || v === undefined ? '(empty)' : typeof v === 'object' ? JSON.stringify(v) : String(v),
};

/** Shows a short message in the status area. */
export function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.classList.add('shown');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('shown'), 4000);
}

/**
 * Field changes `{ field: { from, to } }` as a list; a create (nothing before) shows only the value.
 * In a plan, a reference to a record the same run creates first has the engine's planned id -1.
 * A two-way change also names the side written (`side: 'autotask' | 'sql'`, the table's `column`) and
 * whether the rule overwrote a change made on the other side (`conflict`).
 */
export function changeList(diff, { plan = false } = {}) {
  if (!diff) return null;
  return h(
    'ul',
    { className: 'diff' },
    Object.entries(diff).map(([field, c]) => {
      const before =
        c?.from === null || c?.from === undefined ? null : [h('del', {}, fmt.value(c.from)), ' → '];
      const to =
        plan && c?.to === -1 && /ID$/.test(field) ? '(the record this run creates first)' : fmt.value(c?.to);
      const name =
        c?.side === 'sql'
          ? `table ${c.column ?? field}`
          : c?.side === 'autotask'
            ? `Autotask ${field}`
            : field;
      const rule = c?.conflict
        ? ` (${c.winner === 'sql' ? 'the table' : 'Autotask'} wins over the other side's change)`
        : '';
      return h('li', {}, h('code', {}, name), ': ', before, h('ins', {}, to), rule);
    }),
  );
}
