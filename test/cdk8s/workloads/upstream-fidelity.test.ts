import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Manifest } from '../../../kube/object';
import { bookinfoManifests, kindsAndNames } from './bookinfo-manifests';

/**
 * Upstream's objects, from a fixture of ours, with one deliberate deviation: upstream's images are on
 * registry.istio.io/release, which Istio takes offline from 2026-12-08; ours are the same images on Docker Hub
 * (docker.io/istio, the environment's hub).
 */
function upstream(file: string): Manifest[] {
  const text = fs
    .readFileSync(path.join(__dirname, 'fixtures', file), 'utf8')
    .replaceAll('image: registry.istio.io/release/', 'image: docker.io/istio/');
  return parseAllDocuments(text).map((doc) => doc.toJS() as Manifest);
}

/** Lists whose order does not change what Kubernetes creates, sorted by name, so that objects compare as sets. */
function normalized<T>(value: T): T {
  if (Array.isArray(value)) {
    const items = value.map(normalized);
    const byName = items.every((item) => item && typeof item === 'object' && typeof item.name === 'string');
    return (byName ? [...items].sort((a, b) => a.name.localeCompare(b.name)) : items) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalized(v)])) as T;
  }
  return value;
}

/** Every field upstream sets is in ours with the same value (ours may add fields: hardening, probes, resources). */
function expectToContainUpstream(ours: readonly Manifest[], theirs: readonly Manifest[]) {
  for (const object of theirs) {
    const id = `${object.kind}/${object.metadata.name}`;
    const mine = ours.find((m) => `${m.kind}/${m.metadata.name}` === id);
    expect({ id, found: mine !== undefined }).toEqual({ id, found: true });
    expect(normalized(mine)).toMatchObject(normalized(object));
  }
}

describe('bookinfo.yaml', () => {
  const ours = bookinfoManifests();
  const theirs = upstream('upstream-bookinfo.yaml');

  test('the same objects, by kind and name, and nothing else', () => {
    expect(kindsAndNames(ours).sort()).toEqual(kindsAndNames(theirs).sort());
  });

  test("every upstream field, with upstream's value", () => {
    expectToContainUpstream(ours, theirs);
  });

  test('the comparison fails on a changed upstream field (the check can fail)', () => {
    const changed = structuredClone(theirs) as any[];
    changed.find((m) => m.metadata.name === 'reviews-v2').spec.template.spec.containers[0].env[0].value = '/var/log';
    expect(() => expectToContainUpstream(ours, changed)).toThrow();
  });
});

describe('the optional variants', () => {
  const ours = [
    ...bookinfoManifests({ versions: { details: ['v1', 'v2'], ratings: ['v1', 'v2'] } }),
    ...bookinfoManifests({ versions: { ratings: ['v1', 'v2-mysql'] } }),
  ];
  const theirs = upstream('upstream-variants.yaml');

  /** Where we deliberately differ from upstream, and why; everything else must match. */
  const deviations: Record<string, { reason: string; apply: (theirs: any) => any }> = {
    'Secret/mysql-credentials': {
      reason:
        'upstream commits the password ("password") in a Secret; ours is created out of band (README) and only referenced',
      apply: () => undefined,
    },
    'Deployment/ratings-v2-mysql': {
      reason: 'upstream passes the password as a literal env value; ours reads it from the same Secret as MySQL',
      apply: (deployment) => {
        const env = deployment.spec.template.spec.containers[0].env;
        env[env.findIndex((e: { name: string }) => e.name === 'MYSQL_DB_PASSWORD')] = {
          name: 'MYSQL_DB_PASSWORD',
          valueFrom: { secretKeyRef: { name: 'mysql-credentials', key: 'rootpasswd' } },
        };
        return deployment;
      },
    },
  };
  const expected = theirs.flatMap((object) => {
    const deviation = deviations[`${object.kind}/${object.metadata.name}`];
    const kept = deviation ? deviation.apply(structuredClone(object)) : object;
    return kept ? [kept] : [];
  });

  test('every deviation names an upstream object and says why', () => {
    for (const [id, { reason }] of Object.entries(deviations)) {
      expect(kindsAndNames(theirs)).toContain(id);
      expect(reason.length).toBeGreaterThan(20);
    }
  });

  test("every upstream object, with upstream's fields, but for the deviations", () => {
    expectToContainUpstream(ours, expected);
  });

  test('what we add to the variants: accounts for the databases', () => {
    const added = kindsAndNames(ours).filter(
      (id) => !kindsAndNames(theirs).includes(id) && !kindsAndNames(bookinfoManifests()).includes(id),
    );
    expect([...new Set(added)].sort()).toEqual(['ServiceAccount/bookinfo-mongodb', 'ServiceAccount/bookinfo-mysqldb']);
  });
});
