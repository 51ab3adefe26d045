import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/index.js';
import { readRuntimeConfig } from './read-runtime-config.js';
import { type RuntimeConfig, runtimeConfigEnvVar } from './runtime-config.js';
import { isLocal, serviceLocator, urlOf } from './service-locator.js';

const config: RuntimeConfig = {
  unit: 'web',
  services: ['web', 'cart'],
  remotes: { orders: 'http://orders.staging.local:8080' },
  databases: {
    main: {
      kind: 'neon',
      hostEnvVar: 'PATCHBAY_DATABASE_MAIN_HOST',
      portEnvVar: 'PATCHBAY_DATABASE_MAIN_PORT',
      nameEnvVar: 'PATCHBAY_DATABASE_MAIN_NAME',
      userEnvVar: 'PATCHBAY_DATABASE_MAIN_USER',
      credentialsEnvVar: 'PATCHBAY_DATABASE_MAIN_PASSWORD',
      credentialsForm: 'password',
      sslmode: 'require',
    },
  },
};
const env = {
  [runtimeConfigEnvVar]: JSON.stringify(config),
  PATCHBAY_DATABASE_MAIN_HOST: 'ep-1.neon.tech',
  PATCHBAY_DATABASE_MAIN_PORT: '5432',
  PATCHBAY_DATABASE_MAIN_NAME: 'main',
  PATCHBAY_DATABASE_MAIN_USER: 'app',
  PATCHBAY_DATABASE_MAIN_PASSWORD: 'pw',
};

describe('runtime helper', () => {
  it('reads the config from the environment variable', () => {
    expect(readRuntimeConfig(env)).toEqual(config);
  });

  it('answers local or remote, and where', () => {
    const services = serviceLocator(readRuntimeConfig(env), env);
    expect(services.isLocal('cart')).toBe(true);
    expect(services.isLocal('orders')).toBe(false);
    expect(services.urlOf('orders')).toBe('http://orders.staging.local:8080');
    expect(services.databaseUrl('main')).toBe('postgresql://app:pw@ep-1.neon.tech:5432/main?sslmode=require');
    expect(isLocal('web', config)).toBe(true);
    expect(urlOf('orders', config)).toBe('http://orders.staging.local:8080');
  });

  it('explains why a URL is not available', () => {
    const services = serviceLocator(config, {});
    expect(() => services.urlOf('cart')).toThrow(/runs in this process/);
    expect(() => services.urlOf('ghost')).toThrow(/not called by any service of web/);
    expect(() => services.databaseUrl('main')).toThrow(/PATCHBAY_DATABASE_MAIN_HOST: is not set/);
    expect(() => services.databaseUrl('other')).toThrow(/does not use database other/);
  });

  it('rejects a missing or malformed config with a ValidationError', () => {
    expect(() => readRuntimeConfig({})).toThrow(ValidationError);
    expect(() => readRuntimeConfig({ [runtimeConfigEnvVar]: '{nope' })).toThrow(/not valid JSON/);
    try {
      readRuntimeConfig({
        [runtimeConfigEnvVar]: JSON.stringify({
          unit: '',
          services: 'web',
          remotes: { a: 1 },
          databases: {
            main: { envVar: 'PATCHBAY_DATABASE_MAIN_URL' },
            other: { ...config.databases.main, credentialsForm: 'url' },
          },
        }),
      });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual([
        'unit',
        'services',
        'remotes',
        'databases.main.hostEnvVar',
        'databases.main.portEnvVar',
        'databases.main.nameEnvVar',
        'databases.main.credentialsEnvVar',
        'databases.main.credentialsForm',
        'databases.other.credentialsForm',
      ]);
    }
  });
});
