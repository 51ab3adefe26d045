import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath, ValidationError } from '../errors/index.js';
import { parseApp, safeParseApp } from './parse-app.js';

const app = { name: 'shop', services: [{ name: 'web' }], databases: [{ name: 'main' }] };
const svc = (service: Record<string, unknown>) => ({ ...app, services: [{ name: 'web', ...service }] });

const malformed: [string, unknown, string][] = [
  ['null', null, '(root)'],
  ['missing name', { services: app.services }, 'name'],
  ['uppercase app name', { ...app, name: 'Shop' }, 'name'],
  ['missing services', { name: 'shop' }, 'services'],
  ['no services', { ...app, services: [] }, 'services'],
  ['services not a list', { ...app, services: { web: {} } }, 'services'],
  ['service not object', { ...app, services: ['web'] }, 'services[0]'],
  ['service without name', { ...app, services: [{}] }, 'services[0].name'],
  ['service name too long', svc({ name: 's'.repeat(31) }), 'services[0].name'],
  ['service name with dot', svc({ name: 'web.api' }), 'services[0].name'],
  ['service name with space', svc({ name: 'web api' }), 'services[0].name'],
  ['service name leading hyphen', svc({ name: '-web' }), 'services[0].name'],
  ['duplicate service', { ...app, services: [{ name: 'web' }, { name: 'web' }] }, 'services[1].name'],
  ['call to unknown service', svc({ calls: ['orders'] }), 'services[0].calls[0]'],
  [
    'weighted call to unknown service',
    svc({ calls: [{ service: 'orders', weight: 3 }] }),
    'services[0].calls[0].service',
  ],
  [
    'negative weight',
    { ...app, services: [{ name: 'web', calls: [{ service: 'api', weight: -1 }] }, { name: 'api' }] },
    'services[0].calls[0].weight',
  ],
  ['call with bad name', svc({ calls: ['Orders'] }), 'services[0].calls[0]'],
  ['calls not a list', svc({ calls: 'orders' }), 'services[0].calls'],
  [
    'call object typo',
    { ...app, services: [{ name: 'web', calls: [{ servcie: 'api' }] }, { name: 'api' }] },
    'services[0].calls[0].servcie',
  ],
  ['unknown database', svc({ databases: ['analytics'] }), 'services[0].databases[0]'],
  ['databases not a list', svc({ databases: 'main' }), 'services[0].databases'],
  ['public not boolean', svc({ public: 'yes' }), 'services[0].public'],
  ['port zero', svc({ port: 0 }), 'services[0].port'],
  ['port too big', svc({ port: 70000 }), 'services[0].port'],
  ['empty image', svc({ image: '' }), 'services[0].image'],
  ['negative cpu hint', svc({ resources: { cpu: -1 } }), 'services[0].resources.cpu'],
  ['fractional memory hint', svc({ resources: { memory: 1.5 } }), 'services[0].resources.memory'],
  ['unknown resources field', svc({ resources: { gpu: 1 } }), 'services[0].resources.gpu'],
  ['isolate not boolean', svc({ isolate: 1 }), 'services[0].isolate'],
  ['unknown service field', svc({ replicas: 2 }), 'services[0].replicas'],
  ['secret in service', svc({ apiKey: 'sk_live_123' }), 'services[0].apiKey'],
  ['database without name', { ...app, databases: [{}] }, 'databases[0].name'],
  ['bad database name', { ...app, databases: [{ name: 'Main_DB' }] }, 'databases[0].name'],
  ['duplicate database', { ...app, databases: [{ name: 'main' }, { name: 'main' }] }, 'databases[1].name'],
  ['database as string', { ...app, databases: ['main'] }, 'databases[0]'],
];

describe('parseApp', () => {
  it('normalizes calls and applies defaults', () => {
    const parsed = parseApp({
      name: 'shop',
      services: [
        { name: 'web', calls: ['api', { service: 'api', weight: 4 }, 'web'] },
        { name: 'api', databases: ['main'] },
      ],
      databases: [{ name: 'main' }],
    });
    expect(parsed.services[0]).toEqual({
      name: 'web',
      calls: [{ service: 'api', weight: 5 }],
      databases: [],
      public: false,
      isolate: false,
    });
  });

  it(`rejects ${malformed.length} malformed apps at the right path`, () => {
    for (const [what, input, path] of malformed) {
      const result = safeParseApp(input);
      expect(result.ok, what).toBe(false);
      if (result.ok) continue;
      expect(result.error).toBeInstanceOf(ValidationError);
      expect(
        result.error.issues.map((i) => formatPath(i.path)),
        what,
      ).toContain(path);
      expect(JSON.stringify(result.error.issues)).not.toContain('sk_live_123');
    }
  });

  it('rejects generated garbage without crashing', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = safeParseApp(input);
        if (!result.ok) expect(result.error.issues.length).toBeGreaterThan(0);
        else expect(result.value.services.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any invalid service name at its path, and accepts valid ones', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => {
        const valid = /^[a-z](?:[a-z0-9]|-(?!-))*$/.test(name) && !name.endsWith('-') && name.length <= 30;
        const result = safeParseApp(svc({ name }));
        expect(result.ok).toBe(valid);
        if (!result.ok)
          expect(result.error.issues.map((i) => formatPath(i.path))).toContain('services[0].name');
      }),
      { numRuns: 300 },
    );
  });

  it('throws ValidationError from parseApp', () => {
    expect(() => parseApp({ name: 'shop', services: [{ name: 'web', calls: ['ghost'] }] })).toThrow(
      /calls unknown service "ghost"/,
    );
  });
});
