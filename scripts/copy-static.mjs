// Copies the web app's static front end (HTML, CSS, ES modules; no build step) into dist/ after tsc.
import { cpSync } from 'node:fs';

cpSync('src/ui/static', 'dist/ui/static', { recursive: true });
