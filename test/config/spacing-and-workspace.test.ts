import { describe, expect, it } from 'vitest';
import { buildEnvironments, checkConfigData } from '../../src/config/config-rules.js';
import { validateConfig } from '../../src/config/schema-validators.generated.js';

describe('apply.update_interval_seconds', () => {
  it('defaults to 300 and is set per environment like the other apply settings', () => {
    const data = {
      apply: { update_interval_seconds: 600 },
      environments: { prod: { region: 'cn-beijing' }, dev: { endpoint: 'local', apply: { update_interval_seconds: 0 } } },
    };
    const environments = buildEnvironments(data, '/repo');
    expect(environments['prod']!.apply.update_interval_seconds).toBe(600);
    expect(environments['dev']!.apply.update_interval_seconds).toBe(0);
    // The embedded account has no update spacing: 0 unless set.
    expect(buildEnvironments({ environments: { demo: { endpoint: 'local' } } }, '/repo')['demo']!.apply.update_interval_seconds).toBe(0);
    expect(buildEnvironments({ environments: { prod: {} } }, '/repo')['prod']!.apply.update_interval_seconds).toBe(300);
  });

  it('is an integer from 0 to 86400 in the schema', () => {
    expect(validateConfig({ environments: { a: {} }, apply: { update_interval_seconds: 0 } })).toBe(true);
    expect(validateConfig({ environments: { a: {} }, apply: { update_interval_seconds: -1 } })).toBe(false);
    expect(validateConfig({ environments: { a: {} }, apply: { update_interval_seconds: 1.5 } })).toBe(false);
  });
});

describe('workspace', () => {
  it('warns that hotword lists work only in the primary workspace', () => {
    const problems = checkConfigData({ default_environment: 'prod', environments: { prod: { region: 'cn-beijing', workspace: 'ws-42' }, dev: { region: 'cn-beijing' } } });
    expect(problems).toStrictEqual([
      {
        path: '/environments/prod/workspace',
        severity: 'warning',
        message:
          'workspace is set: hotword lists work only in the primary workspace (sub-workspaces do not support them); use the primary workspace\'s id or leave workspace unset',
      },
    ]);
  });
});
