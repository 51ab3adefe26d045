import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/index.js';
import type { DatabaseBinding } from './database-binding.js';
import { connectionUrl, databaseUrl } from './database-url.js';
import { type RuntimeConfig, runtimeConfigEnvVar } from './runtime-config.js';

const rds: DatabaseBinding = {
  kind: 'rds',
  hostEnvVar: 'PATCHBAY_DATABASE_MAIN_HOST',
  portEnvVar: 'PATCHBAY_DATABASE_MAIN_PORT',
  nameEnvVar: 'PATCHBAY_DATABASE_MAIN_NAME',
  credentialsEnvVar: 'PATCHBAY_DATABASE_MAIN_CREDENTIALS',
  credentialsForm: 'json',
  sslmode: 'require',
};
const cloudSql: DatabaseBinding = {
  kind: 'cloud-sql',
  hostEnvVar: 'DB_HOST',
  portEnvVar: 'DB_PORT',
  nameEnvVar: 'DB_NAME',
  userEnvVar: 'DB_USER',
  credentialsEnvVar: 'DB_PASSWORD',
  credentialsForm: 'password',
};
const PASSWORD = 'p@ss:w/rd%?#&=x y';

describe('databaseUrl', () => {
  it('assembles the URL from an RDS secret JSON, URL-encoding user and password', () => {
    const env = {
      PATCHBAY_DATABASE_MAIN_HOST: 'staging-main.abc.eu-west-1.rds.amazonaws.com',
      PATCHBAY_DATABASE_MAIN_PORT: '5432',
      PATCHBAY_DATABASE_MAIN_NAME: 'postgres',
      PATCHBAY_DATABASE_MAIN_CREDENTIALS: JSON.stringify({ username: 'patch bay', password: PASSWORD }),
    };
    const url = connectionUrl(rds, env);
    expect(url).toBe(
      'postgresql://patch%20bay:p%40ss%3Aw%2Frd%25%3F%23%26%3Dx%20y@staging-main.abc.eu-west-1.rds.amazonaws.com:5432/postgres?sslmode=require',
    );
    // A URL parser gets the same parts back.
    const parsed = new URL(url);
    expect(decodeURIComponent(parsed.password)).toBe(PASSWORD);
    expect(decodeURIComponent(parsed.username)).toBe('patch bay');
    expect(parsed.hostname).toBe('staging-main.abc.eu-west-1.rds.amazonaws.com');
    expect(parsed.port).toBe('5432');
  });

  it('assembles the URL from a user and a password variable, with IPv6 hosts in brackets', () => {
    const env = {
      DB_HOST: '10.1.2.3',
      DB_PORT: '5432',
      DB_NAME: 'postgres',
      DB_USER: 'postgres',
      DB_PASSWORD: 'pw',
    };
    expect(connectionUrl(cloudSql, env)).toBe('postgresql://postgres:pw@10.1.2.3:5432/postgres');
    expect(connectionUrl(cloudSql, { ...env, DB_HOST: 'fd00::1' })).toBe(
      'postgresql://postgres:pw@[fd00::1]:5432/postgres',
    );
  });

  it('reads the runtime config from the same environment by default', () => {
    const config: RuntimeConfig = {
      unit: 'app',
      services: ['web'],
      remotes: {},
      databases: { main: cloudSql },
    };
    const env = {
      [runtimeConfigEnvVar]: JSON.stringify(config),
      DB_HOST: 'h',
      DB_PORT: '6543',
      DB_NAME: 'main',
      DB_USER: 'u',
      DB_PASSWORD: 'p',
    };
    expect(databaseUrl('main', env)).toBe('postgresql://u:p@h:6543/main');
    expect(() => databaseUrl('other', env)).toThrow(/app does not use database other/);
  });

  it('names every missing or malformed variable, never echoing a credential', () => {
    const secret = '{"username":"admin","pass":"hunter2"}';
    try {
      connectionUrl(rds, {
        PATCHBAY_DATABASE_MAIN_PORT: '99999',
        PATCHBAY_DATABASE_MAIN_CREDENTIALS: secret,
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const issues = (error as ValidationError).issues;
      expect(issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
        'PATCHBAY_DATABASE_MAIN_HOST: is not set',
        'PATCHBAY_DATABASE_MAIN_NAME: is not set',
        'PATCHBAY_DATABASE_MAIN_CREDENTIALS: is not a JSON object with string username and password',
        'PATCHBAY_DATABASE_MAIN_PORT: is not a TCP port',
      ]);
      expect(JSON.stringify(issues)).not.toContain('hunter2');
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(() => connectionUrl(rds, { PATCHBAY_DATABASE_MAIN_CREDENTIALS: 'not json hunter2' })).toThrow(
      /CREDENTIALS: is not a JSON object/,
    );
    expect(() =>
      connectionUrl(cloudSql, { DB_HOST: 'h', DB_PORT: '5432', DB_NAME: 'n', DB_PASSWORD: 'p' }),
    ).toThrow(/DB_USER: is not set/);
  });
});
