import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { ArgoCdApplication } from '../../../cdk8s/argocd/argocd-application';
import { synthesizeArgoCd } from '../../../cdk8s/argocd/argocd-app';
import { PLACEHOLDER_REPO_URL, type EnvironmentInput } from '../../../config';
import { PROJECT_ROOT } from '../../../pipeline/project-root';
import { committedEnvironments, defaultEnvironment } from '../../helpers/environments';

/**
 * What Argo CD's Application CRD (argoproj.io/v1alpha1, argo-cd manifests/crds/application-crd.yaml) requires of the
 * fields we write: spec.destination and spec.project, source.repoURL, and the types of the sync policy.
 */
const applicationSchema = z.object({
  apiVersion: z.literal('argoproj.io/v1alpha1'),
  kind: z.literal('Application'),
  metadata: z.object({ name: z.string().min(1), namespace: z.string().min(1) }),
  spec: z
    .object({
      project: z.string().min(1),
      source: z.object({
        repoURL: z.string().min(1),
        targetRevision: z.string().min(1),
        path: z.string().min(1),
        directory: z.object({ recurse: z.boolean() }).strict().optional(),
      }),
      destination: z.object({ server: z.string().min(1), namespace: z.string().min(1) }).strict(),
      syncPolicy: z
        .object({
          automated: z.object({ prune: z.boolean(), selfHeal: z.boolean() }).strict().optional(),
          syncOptions: z.array(z.string().regex(/^\w+=\w+$/)).optional(),
          retry: z
            .object({
              limit: z.int(),
              backoff: z.object({ duration: z.string(), factor: z.int(), maxDuration: z.string() }).strict(),
            })
            .strict(),
        })
        .strict(),
    })
    .strict(),
});

type Application = z.infer<typeof applicationSchema>;

/** Every object of a committed dist/argocd file. */
function committedApplications(): [string, unknown][] {
  const dir = path.join(PROJECT_ROOT, 'dist', 'argocd');
  return fs
    .readdirSync(dir)
    .flatMap((file) =>
      parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map(
        (doc) => [file, doc.toJS()] as [string, unknown],
      ),
    );
}

describe('the committed Argo CD applications', () => {
  const applications = committedApplications();

  test('one per environment, in dist/argocd/<environment>.yaml', () => {
    expect(applications.map(([file]) => file).sort()).toEqual(
      committedEnvironments()
        .map((e) => `${e.name}.yaml`)
        .sort(),
    );
  });

  test.each(applications)('%s has the fields Argo CD requires', (_file, object) => {
    expect(applicationSchema.safeParse(object).error).toBeUndefined();
  });

  test.each(applications)(
    '%s points at its environment Kubernetes folder, which holds only manifests',
    (file, object) => {
      const { spec } = object as Application;
      const env = file.replace(/\.yaml$/, '');
      expect(spec.source.path).toBe(`dist/cdk8s/${env}`);
      const folder = path.join(PROJECT_ROOT, spec.source.path);
      const files = fs.readdirSync(folder);
      expect(files.length).toBeGreaterThan(0);
      // Argo CD's directory source reads every *.yaml, *.yml and *.json file: all of them must be Kubernetes objects
      for (const name of files) {
        expect(name).toMatch(/\.k8s\.yaml$/);
        for (const doc of parseAllDocuments(fs.readFileSync(path.join(folder, name), 'utf8'))) {
          expect(doc.toJS()).toEqual(
            expect.objectContaining({ apiVersion: expect.any(String), kind: expect.any(String) }),
          );
        }
      }
    },
  );

  test.each(applications)('%s deploys into the environment namespace', (file, object) => {
    const env = committedEnvironments().find((e) => `${e.name}.yaml` === file)!;
    expect((object as Application).spec.destination.namespace).toBe(env.namespace);
  });
});

describe('the default environment application', () => {
  const [application] = synthesizeArgoCd(defaultEnvironment()) as unknown as Application[];

  test('snapshot', () => {
    expect(application).toMatchSnapshot();
  });

  test('syncs automatically with prune and self-heal, creates the namespace, prunes last, retries with backoff', () => {
    expect(application.spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
      retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
    });
  });

  test('reads the placeholder repository at HEAD, into the cluster Argo CD runs in', () => {
    expect(application.metadata).toEqual(expect.objectContaining({ name: 'hello-istio-default', namespace: 'argocd' }));
    expect(application.spec.source).toEqual({
      repoURL: PLACEHOLDER_REPO_URL,
      targetRevision: 'HEAD',
      path: 'dist/cdk8s/default',
      directory: { recurse: false },
    });
    expect(application.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'bookinfo' });
    expect(application.spec.project).toBe('default');
  });
});

test('the configuration reaches the application', () => {
  const env = defaultEnvironment((e): EnvironmentInput => ({
    ...e,
    namespace: 'shop',
    argocd: {
      repoURL: 'git@github.com:acme/mesh.git',
      targetRevision: 'release-1',
      namespace: 'gitops',
      project: 'mesh',
      server: 'https://10.0.0.1',
      syncPolicy: {
        automated: false,
        createNamespace: false,
        pruneLast: false,
        retry: { limit: 2, duration: '10s', factor: 3, maxDuration: '1h30m' },
      },
    },
  }));
  const [application] = synthesizeArgoCd(env) as unknown as Application[];
  expect(applicationSchema.safeParse(application).error).toBeUndefined();
  expect(application.metadata.namespace).toBe('gitops');
  expect(application.spec).toEqual({
    project: 'mesh',
    source: {
      repoURL: 'git@github.com:acme/mesh.git',
      targetRevision: 'release-1',
      path: 'dist/cdk8s/default',
      directory: { recurse: false },
    },
    destination: { server: 'https://10.0.0.1', namespace: 'shop' },
    syncPolicy: { retry: { limit: 2, backoff: { duration: '10s', factor: 3, maxDuration: '1h30m' } } },
  });
});

test.each([
  ['repoURL', { repoURL: 'ftp://example.com/x' }, /argocd\.repoURL = "ftp:\/\/example.com\/x": must be a git URL/],
  ['server', { server: 'http://insecure' }, /argocd\.server = "http:\/\/insecure": must be an https:\/\/ URL/],
  [
    'retry duration',
    { syncPolicy: { retry: { duration: '5 sec' } } },
    /argocd\.syncPolicy\.retry\.duration = "5 sec": must be a duration/,
  ],
  [
    'automated',
    { syncPolicy: { automated: true } },
    /argocd\.syncPolicy\.automated = true: must be false, or an object/,
  ],
  ['unknown field', { repo: 'x' }, /argocd: unknown field\(s\) "repo"/],
])('a bad %s is a configuration error', (_name, argocd, message) => {
  expect(() => defaultEnvironment((e) => ({ ...e, argocd }) as EnvironmentInput)).toThrow(message);
});

test.each(['dist', '', '/abs/dist/cdk8s/default', 'dist/../dist', 'dist//cdk8s'])('the path %j is refused', (bad) => {
  const chart = new Chart(new App(), 'argocd');
  expect(
    () =>
      new ArgoCdApplication(chart, 'A', {
        name: 'a',
        config: defaultEnvironment().argocd,
        path: bad,
        destinationNamespace: 'x',
      }),
  ).toThrow(/must be a folder of Kubernetes manifests relative to the repository root/);
});
