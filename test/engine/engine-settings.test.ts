import { describe, expect, it } from 'vitest';

import { parseConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/shared/errors.js';
import { engineOptionsOf } from '../../src/sync/engine/index.js';

const parse = (text: string) => parseConfig(text, { file: '/tmp/engine-settings/sync.yaml', env: {} }).config;

describe('engine: settings of the configuration', () => {
  it('defaults the settle period to Autotask’s execution timeout (5 minutes)', () => {
    const config = parse('version: 1\n');
    expect(config.engine.intentSettleSeconds).toBe(300);
    expect(engineOptionsOf(config)).toEqual({ intentSettleMs: 300_000 });
  });

  it('passes engine.intentSettleSeconds to the engine in milliseconds', () => {
    expect(engineOptionsOf(parse('version: 1\nengine:\n  intentSettleSeconds: 1.5\n'))).toEqual({
      intentSettleMs: 1500,
    });
    expect(engineOptionsOf(parse('version: 1\nengine: { intentSettleSeconds: 0 }\n'))).toEqual({
      intentSettleMs: 0,
    });
  });

  it('leaves the engine default when a caller has no engine section', () => {
    expect(engineOptionsOf({})).toEqual({});
  });

  it('refuses a negative settle period and unknown engine keys, naming the setting and line', () => {
    const refused = (text: string): ConfigError => {
      try {
        parse(text);
      } catch (error) {
        if (error instanceof ConfigError) return error;
        throw error;
      }
      throw new Error('the configuration was accepted');
    };
    const negative = refused('version: 1\nengine:\n  intentSettleSeconds: -1\n');
    expect(negative.issues.map((i) => i.path)).toContain('engine.intentSettleSeconds');
    const unknown = refused('version: 1\nengine:\n  intentSettleSecs: 10\n');
    expect(unknown.issues.map((i) => `${i.path}: ${i.message}`).join('\n')).toMatch(/intentSettleSeconds/);
  });
});
