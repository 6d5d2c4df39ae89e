import { ConfigError } from '../errors.js';
import { isError, loadDesiredState, type LoadValidStateOptions } from './load-desired-state.js';
import { findEnvironment, unknownEnvironmentMessage } from './validate-state.js';
import type { DesiredState, EnvironmentConfig } from './types.js';

/**
 * The config and one environment, without requiring the vocabulary files to be valid: for
 * commands such as `vocab export` that only need to reach the account (and may be run to
 * replace broken files).
 */
export async function loadEnvironment(options: LoadValidStateOptions): Promise<{ state: DesiredState; environment: EnvironmentConfig }> {
  const { state, problems } = await loadDesiredState(options);
  if (state === null) {
    const errors = problems.filter(isError);
    throw new ConfigError(`the config cannot be used: ${errors.length} problem(s)`, { problems: errors });
  }
  const names = Object.keys(state.environments);
  const name = options.environment ?? state.defaultEnvironment;
  const environment = findEnvironment(state.environments, name);
  if (environment === undefined) {
    throw new ConfigError(
      name === ''
        ? `no environment chosen: pass --env NAME or set default_environment (environments: ${names.join(', ')})`
        : unknownEnvironmentMessage(name, names),
    );
  }
  return { state, environment };
}
