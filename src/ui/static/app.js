// The app shell: hash routing between the four pages, the live budget in the header.
import { onJobEvent } from './api.js';
import { fmt, replace } from './dom.js';
import { connectionPage } from './page-connection.js';
import { mappingPage } from './page-mapping.js';
import { planPage } from './page-plan.js';
import { runsPage } from './page-runs.js';

const PAGES = { connection: connectionPage, mapping: mappingPage, plan: planPage, runs: runsPage };
let cleanup = null;
let firstRoute = true;

async function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = PAGES[name] ? name : 'connection';
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  const main = document.getElementById('main');
  replace(main);
  cleanup = await PAGES[page](main, rest.map(decodeURIComponent));
  const heading = main.querySelector('h1');
  document.title = `${heading?.textContent ?? 'autotask-sync'} · autotask-sync`;
  // after a page change, move focus to the new content (on first load, leave it for the skip link)
  if (!firstRoute) main.focus({ preventScroll: true });
  firstRoute = false;
}

onJobEvent((event) => {
  if (event.type !== 'budget') return;
  const el = document.getElementById('live-budget');
  el.textContent = `API ${fmt.number(event.used)} / ${fmt.number(event.allowed)} this hour`;
});

window.addEventListener('hashchange', () => void route());
void route();
