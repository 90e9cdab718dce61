import { App, Chart } from 'cdk8s';
import { MeshService } from '../../../cdk8s/mesh/mesh-service';
import { WorkloadsChart } from '../../../cdk8s/mesh/workloads-chart';
import { synthesizeKubernetes } from '../../../cdk8s/kubernetes-app';
import { podSecurityViolations } from '../../../pod-security/pod-security-standards';
import { BOOKINFO_DEFAULT_RESOURCES, serviceCatalogue, type BookinfoInput } from '../../../config';
import { testEnvironments } from '../../helpers/environments';
import {
  bookinfoManifests,
  containerOf,
  environmentWith,
  kindsAndNames,
  named,
  ofKind,
  podTemplate,
} from './bookinfo-manifests';

// Bookinfo's images come from the environment's Istio hub.
const REGISTRY = 'docker.io/istio';
const DEFAULT_DEPLOYMENTS = ['details-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'productpage-v1'];
/** Every optional component on: details v2, ratings v2 with MongoDB. */
const ALL_MONGODB: BookinfoInput = { versions: { details: ['v1', 'v2'], ratings: ['v1', 'v2'] } };
/** ratings v2 with MySQL instead. */
const MYSQL: BookinfoInput = { versions: { ratings: ['v1', 'v2-mysql'] } };

/** The objects that the default configuration does not write: what an optional component adds. */
const beyondDefault = (manifests: ReturnType<typeof bookinfoManifests>) => {
  const defaults = kindsAndNames(bookinfoManifests());
  return manifests.filter((m) => !defaults.includes(`${m.kind}/${m.metadata.name}`));
};

/** True when every label of `selector` is on `labels` with the same value. */
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** CPU in millicores and memory in MiB of a rendered quantity. */
const amount = (quantity: string) => Number(quantity.replace(/(m|Mi)$/, ''));

describe('the default environment: upstream bookinfo.yaml', () => {
  const manifests = bookinfoManifests();

  test('snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('exactly upstream objects, in upstream order: a Service, its account and its Deployments, per service', () => {
    expect(kindsAndNames(manifests)).toEqual([
      'Service/details',
      'ServiceAccount/bookinfo-details',
      'Deployment/details-v1',
      'Service/ratings',
      'ServiceAccount/bookinfo-ratings',
      'Deployment/ratings-v1',
      'Service/reviews',
      'ServiceAccount/bookinfo-reviews',
      'Deployment/reviews-v1',
      'Deployment/reviews-v2',
      'Deployment/reviews-v3',
      'Service/productpage',
      'ServiceAccount/bookinfo-productpage',
      'Deployment/productpage-v1',
    ]);
  });

  test('every object is in the namespace, with no cdk8s address label or hashed name anywhere', () => {
    for (const m of manifests) expect(m.metadata.namespace).toBe('bookinfo');
    expect(JSON.stringify(manifests)).not.toContain('cdk8s.io/metadata.addr');
    for (const m of manifests) expect(m.metadata.name).not.toMatch(/-c8[0-9a-f]{6}$/);
  });

  test.each(['details', 'ratings', 'reviews', 'productpage'])(
    'Service %s: port 9080 named http, labels app and service, selector app',
    (name) => {
      const service = named(manifests, 'Service', name);
      expect(service.metadata.labels).toMatchObject({ app: name, service: name });
      expect(service.spec).toEqual({ ports: [{ port: 9080, name: 'http' }], selector: { app: name } });
    },
  );

  test.each(['details', 'ratings', 'reviews', 'productpage'])(
    'ServiceAccount bookinfo-%s: labelled account, no API token',
    (name) => {
      const account = named(manifests, 'ServiceAccount', `bookinfo-${name}`);
      expect(account.metadata.labels).toMatchObject({ account: name });
      expect(account.automountServiceAccountToken).toBe(false);
    },
  );

  test.each(DEFAULT_DEPLOYMENTS)(
    'Deployment %s: labels, selector, account, image, port, pull policy, one replica',
    (name) => {
      const [app, version] = name.split('-');
      const deployment = named(manifests, 'Deployment', name);
      const selector = { app, version };
      expect(deployment.metadata.labels).toMatchObject(selector);
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.selector).toEqual({ matchLabels: selector });
      expect(podTemplate(deployment).metadata.labels).toEqual(selector);
      expect(podTemplate(deployment).spec.serviceAccountName).toBe(`bookinfo-${app}`);
      expect(podTemplate(deployment).spec.containers).toHaveLength(1);
      expect(containerOf(deployment)).toMatchObject({
        name: app,
        image: `${REGISTRY}/examples-bookinfo-${app}-${version}:1.20.3`,
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 9080 }],
      });
    },
  );

  test('reviews: LOG_DIR and emptyDirs tmp at /tmp and wlp-output at /opt/ibm/wlp/output', () => {
    for (const version of ['v1', 'v2', 'v3']) {
      const deployment = named(manifests, 'Deployment', `reviews-${version}`);
      expect(containerOf(deployment).env).toEqual([{ name: 'LOG_DIR', value: '/tmp/logs' }]);
      expect(containerOf(deployment).volumeMounts).toEqual([
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'wlp-output', mountPath: '/opt/ibm/wlp/output' },
      ]);
      expect(podTemplate(deployment).spec.volumes).toEqual([
        { name: 'tmp', emptyDir: {} },
        { name: 'wlp-output', emptyDir: {} },
      ]);
    }
  });

  test('productpage: emptyDir tmp at /tmp and the Prometheus pod annotations', () => {
    const deployment = named(manifests, 'Deployment', 'productpage-v1');
    expect(containerOf(deployment).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(podTemplate(deployment).spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(podTemplate(deployment).metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9080',
      'prometheus.io/path': '/metrics',
    });
  });

  test('details and ratings have no volumes, env or annotations, as upstream', () => {
    for (const name of ['details-v1', 'ratings-v1']) {
      const deployment = named(manifests, 'Deployment', name);
      expect(podTemplate(deployment).spec.volumes).toBeUndefined();
      expect(containerOf(deployment).env).toBeUndefined();
      expect(podTemplate(deployment).metadata.annotations).toBeUndefined();
    }
  });

  test('no PodDisruptionBudget with one replica each', () => {
    expect(ofKind(manifests, 'PodDisruptionBudget')).toEqual([]);
  });
});

describe('hardening', () => {
  const variants: [string, BookinfoInput][] = [
    ['default', {}],
    ['details v2, ratings v2 with MongoDB', ALL_MONGODB],
    ['ratings v2 with MySQL', MYSQL],
  ];

  test.each(variants)('every pod meets the Pod Security Standards restricted level (%s)', (_name, bookinfo) => {
    const deployments = ofKind(bookinfoManifests(bookinfo), 'Deployment');
    expect(deployments.length).toBeGreaterThan(0);
    for (const deployment of deployments) {
      expect({
        deployment: deployment.metadata.name,
        violations: podSecurityViolations(podTemplate(deployment), 'restricted'),
      }).toEqual({
        deployment: deployment.metadata.name,
        violations: [],
      });
    }
  });

  test.each(variants)(
    'every container states each hardening setting itself, with the image user (%s)',
    (_name, bookinfo) => {
      const users: Record<string, number> = {
        details: 1000,
        ratings: 1000,
        productpage: 1000,
        reviews: 1001,
        mongodb: 999,
        mysqldb: 999,
      };
      for (const deployment of ofKind(bookinfoManifests(bookinfo), 'Deployment')) {
        const app = deployment.metadata.labels.app;
        expect(containerOf(deployment).securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          runAsNonRoot: true,
          runAsUser: users[app],
          seccompProfile: { type: 'RuntimeDefault' },
        });
        // pod-level seccomp covers containers added later, such as the sidecar
        expect(podTemplate(deployment).spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
      }
    },
  );

  test('a read-only root filesystem only for the apps that write nowhere else than their volumes', () => {
    const readOnly = Object.fromEntries(
      ofKind(bookinfoManifests({ versions: { details: ['v1', 'v2'], ratings: ['v1', 'v2'] } }), 'Deployment')
        .concat(ofKind(bookinfoManifests(MYSQL), 'Deployment'))
        .map((d) => [d.metadata.name, containerOf(d).securityContext.readOnlyRootFilesystem]),
    );
    expect(readOnly).toEqual({
      'details-v1': true,
      'details-v2': true,
      'ratings-v1': true,
      'ratings-v2': true,
      'ratings-v2-mysql': true,
      'productpage-v1': true,
      'reviews-v1': false,
      'reviews-v2': false,
      'reviews-v3': false,
      'mongodb-v1': false,
      'mysqldb-v1': false,
    });
  });

  test('requests and limits on every container: the defaults of its app, requests within limits', () => {
    for (const deployment of [
      ...ofKind(bookinfoManifests(ALL_MONGODB), 'Deployment'),
      ...ofKind(bookinfoManifests(MYSQL), 'Deployment'),
    ]) {
      const { requests, limits } = containerOf(deployment).resources;
      const defaults =
        BOOKINFO_DEFAULT_RESOURCES[deployment.metadata.labels.app as keyof typeof BOOKINFO_DEFAULT_RESOURCES];
      expect({ requests, limits }).toEqual({
        requests: { cpu: `${defaults.requests.cpuMillicores}m`, memory: `${defaults.requests.memoryMebibytes}Mi` },
        limits: { cpu: `${defaults.limits.cpuMillicores}m`, memory: `${defaults.limits.memoryMebibytes}Mi` },
      });
      expect(amount(requests.cpu)).toBeLessThanOrEqual(amount(limits.cpu));
      expect(amount(requests.memory)).toBeLessThanOrEqual(amount(limits.memory));
    }
  });

  test('start-up, readiness and liveness probes on /health for the four apps; none for the databases', () => {
    for (const deployment of ofKind(bookinfoManifests(ALL_MONGODB), 'Deployment').concat(
      ofKind(bookinfoManifests(MYSQL), 'Deployment'),
    )) {
      const container = containerOf(deployment);
      const app = deployment.metadata.labels.app;
      if (app === 'mongodb' || app === 'mysqldb') {
        expect([container.startupProbe, container.readinessProbe, container.livenessProbe]).toEqual([
          undefined,
          undefined,
          undefined,
        ]);
        continue;
      }
      for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
        expect(probe.httpGet).toEqual({ path: '/health', port: 9080 });
      }
      const startupBudget = container.startupProbe.periodSeconds * container.startupProbe.failureThreshold;
      expect(startupBudget).toBe(app === 'reviews' ? 180 : 60);
    }
  });
});

describe('selectors', () => {
  const all = [
    ...bookinfoManifests(ALL_MONGODB),
    ...bookinfoManifests(MYSQL).filter((m) => m.metadata.name?.includes('mysql')),
  ];

  test('every Service selects the pods of at least one Deployment, and every Deployment is selected by exactly one Service', () => {
    const services = ofKind(all, 'Service');
    const deployments = ofKind(all, 'Deployment');
    expect(services.map((s) => s.metadata.name).sort()).toEqual([
      'details',
      'mongodb',
      'mysqldb',
      'productpage',
      'ratings',
      'reviews',
    ]);
    for (const service of services) {
      const selected = deployments.filter((d) => selects(service.spec.selector, podTemplate(d).metadata.labels));
      expect({ service: service.metadata.name, selects: selected.length > 0 }).toEqual({
        service: service.metadata.name,
        selects: true,
      });
    }
    for (const deployment of deployments) {
      const selectedBy = services.filter((s) => selects(s.spec.selector, podTemplate(deployment).metadata.labels));
      expect({ deployment: deployment.metadata.name, services: selectedBy.length }).toEqual({
        deployment: deployment.metadata.name,
        services: 1,
      });
    }
  });

  test("every Deployment's selector matches its own pods and no other Deployment's", () => {
    const deployments = ofKind(all, 'Deployment');
    for (const deployment of deployments) {
      const matched = deployments.filter((d) =>
        selects(deployment.spec.selector.matchLabels, podTemplate(d).metadata.labels),
      );
      expect(matched.map((d) => d.metadata.name)).toEqual([deployment.metadata.name]);
    }
  });

  test('every pod runs as a ServiceAccount of the chart, and every mounted volume exists', () => {
    const accounts = ofKind(all, 'ServiceAccount').map((a) => a.metadata.name);
    for (const deployment of ofKind(all, 'Deployment')) {
      expect(accounts).toContain(podTemplate(deployment).spec.serviceAccountName);
      const volumes = (podTemplate(deployment).spec.volumes ?? []).map((v: { name: string }) => v.name).sort();
      const mounts = (containerOf(deployment).volumeMounts ?? []).map((m: { name: string }) => m.name).sort();
      expect(mounts).toEqual(volumes);
    }
  });
});

describe('from config', () => {
  test('versions: only the configured Deployments exist', () => {
    const manifests = bookinfoManifests({ versions: { reviews: ['v1'] } });
    expect(ofKind(manifests, 'Deployment').map((d) => d.metadata.name)).toEqual([
      'details-v1',
      'ratings-v1',
      'reviews-v1',
      'productpage-v1',
    ]);
    expect(ofKind(manifests, 'Service')).toHaveLength(4);
  });

  test('registry and tag name every image', () => {
    const manifests = bookinfoManifests({
      ...ALL_MONGODB,
      registry: 'europe-docker.pkg.dev/acme/mirror',
      tag: '1.21.0',
    });
    for (const deployment of ofKind(manifests, 'Deployment')) {
      expect(containerOf(deployment).image).toMatch(
        /^europe-docker\.pkg\.dev\/acme\/mirror\/examples-bookinfo-[a-z0-9-]+:1\.21\.0$/,
      );
    }
  });

  test('the namespace of every object', () => {
    const manifests = bookinfoManifests({}, (e) => ({ ...e, namespace: 'shop' }));
    expect(new Set(manifests.map((m) => m.metadata.namespace))).toEqual(new Set(['shop']));
  });

  test('replicas everywhere, and by Deployment; two or more get a PodDisruptionBudget', () => {
    const manifests = bookinfoManifests({
      replicas: 2,
      replicasByDeployment: { 'reviews-v2': 3, 'details-v1': 1, 'ratings-v1': 0 },
    });
    const replicas = Object.fromEntries(ofKind(manifests, 'Deployment').map((d) => [d.metadata.name, d.spec.replicas]));
    expect(replicas).toEqual({
      'details-v1': 1,
      'ratings-v1': 0,
      'reviews-v1': 2,
      'reviews-v2': 3,
      'reviews-v3': 2,
      'productpage-v1': 2,
    });
    const budgets = ofKind(manifests, 'PodDisruptionBudget');
    expect(budgets.map((b) => b.metadata.name)).toEqual(['reviews-v1', 'reviews-v2', 'reviews-v3', 'productpage-v1']);
    for (const budget of budgets) {
      const deployment = named(manifests, 'Deployment', budget.metadata.name);
      expect(budget.metadata.namespace).toBe('bookinfo');
      expect(budget.spec).toEqual({
        maxUnavailable: 1,
        selector: deployment.spec.selector,
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      });
    }
  });

  test('extra labels on every object and pod, never on selectors', () => {
    const labels = { team: 'storefront', 'example.com/cost-center': 'c42' };
    const manifests = bookinfoManifests({ ...ALL_MONGODB, labels });
    for (const m of manifests) expect(m.metadata.labels).toMatchObject(labels);
    for (const deployment of ofKind(manifests, 'Deployment')) {
      expect(podTemplate(deployment).metadata.labels).toMatchObject(labels);
      expect(Object.keys(deployment.spec.selector.matchLabels).sort()).toEqual(['app', 'version']);
    }
    for (const service of ofKind(manifests, 'Service')) expect(Object.keys(service.spec.selector)).toEqual(['app']);
  });

  test('extra annotations on every object; pod annotations on every pod, beside upstream ones', () => {
    const manifests = bookinfoManifests({
      replicasByDeployment: { 'details-v1': 2 },
      annotations: { 'example.com/owner': 'platform' },
      podAnnotations: { 'sidecar.istio.io/proxyCPU': '50m' },
    });
    for (const m of manifests) expect(m.metadata.annotations).toEqual({ 'example.com/owner': 'platform' });
    expect(ofKind(manifests, 'PodDisruptionBudget')).toHaveLength(1);
    for (const deployment of ofKind(manifests, 'Deployment')) {
      expect(podTemplate(deployment).metadata.annotations).toMatchObject({ 'sidecar.istio.io/proxyCPU': '50m' });
    }
    expect(podTemplate(named(manifests, 'Deployment', 'productpage-v1')).metadata.annotations).toEqual({
      'sidecar.istio.io/proxyCPU': '50m',
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9080',
      'prometheus.io/path': '/metrics',
    });
  });

  test('resources by Deployment, over the defaults of its app', () => {
    const manifests = bookinfoManifests({
      resourcesByDeployment: {
        'reviews-v2': { requests: { memoryMebibytes: 384 }, limits: { memoryMebibytes: 1024, cpuMillicores: 2000 } },
      },
    });
    expect(containerOf(named(manifests, 'Deployment', 'reviews-v2')).resources).toEqual({
      requests: { cpu: '100m', memory: '384Mi' },
      limits: { cpu: '2000m', memory: '1024Mi' },
    });
    expect(containerOf(named(manifests, 'Deployment', 'reviews-v1')).resources.limits).toEqual({
      cpu: '1000m',
      memory: '512Mi',
    });
  });
});

describe('optional components', () => {
  describe('details v2, ratings v2 with MongoDB', () => {
    const manifests = bookinfoManifests(ALL_MONGODB);

    test('snapshot of the objects the default does not have', () => {
      expect(beyondDefault(manifests)).toMatchSnapshot();
    });

    test('objects: v2 Deployments, the ratings-v2 account, and MongoDB with its own Service and account', () => {
      expect(kindsAndNames(manifests)).toEqual([
        'Service/details',
        'ServiceAccount/bookinfo-details',
        'Deployment/details-v1',
        'Deployment/details-v2',
        'Service/ratings',
        'ServiceAccount/bookinfo-ratings',
        'ServiceAccount/bookinfo-ratings-v2',
        'Deployment/ratings-v1',
        'Deployment/ratings-v2',
        'Service/reviews',
        'ServiceAccount/bookinfo-reviews',
        'Deployment/reviews-v1',
        'Deployment/reviews-v2',
        'Deployment/reviews-v3',
        'Service/productpage',
        'ServiceAccount/bookinfo-productpage',
        'Deployment/productpage-v1',
        'Service/mongodb',
        'ServiceAccount/bookinfo-mongodb',
        'Deployment/mongodb-v1',
      ]);
    });

    test('details-v2: its image, DO_NOT_ENCRYPT, the details account', () => {
      const deployment = named(manifests, 'Deployment', 'details-v2');
      expect(containerOf(deployment).image).toBe(`${REGISTRY}/examples-bookinfo-details-v2:1.20.3`);
      expect(containerOf(deployment).env).toEqual([{ name: 'DO_NOT_ENCRYPT', value: 'true' }]);
      expect(podTemplate(deployment).spec.serviceAccountName).toBe('bookinfo-details');
    });

    test('ratings-v2 reads mongodb:27017 as bookinfo-ratings-v2', () => {
      const deployment = named(manifests, 'Deployment', 'ratings-v2');
      expect(containerOf(deployment).env).toEqual([{ name: 'MONGO_DB_URL', value: 'mongodb://mongodb:27017/test' }]);
      expect(podTemplate(deployment).spec.serviceAccountName).toBe('bookinfo-ratings-v2');
      expect(named(manifests, 'ServiceAccount', 'bookinfo-ratings-v2').metadata.labels).toMatchObject({
        account: 'ratings-v2',
      });
      expect(named(manifests, 'Service', 'mongodb').spec).toEqual({
        ports: [{ port: 27017, name: 'mongo' }],
        selector: { app: 'mongodb' },
      });
    });

    test('mongodb-v1: its image on port 27017, data in an emptyDir at /data/db, as the mongodb user', () => {
      const deployment = named(manifests, 'Deployment', 'mongodb-v1');
      expect(containerOf(deployment)).toMatchObject({
        name: 'mongodb',
        image: `${REGISTRY}/examples-bookinfo-mongodb:1.20.3`,
        ports: [{ containerPort: 27017 }],
        volumeMounts: [{ name: 'data-db', mountPath: '/data/db' }],
      });
      expect(podTemplate(deployment).spec.serviceAccountName).toBe('bookinfo-mongodb');
    });

    test('the database runs one replica whatever the replicas setting', () => {
      const scaled = bookinfoManifests({ ...ALL_MONGODB, replicas: 3 });
      expect(named(scaled, 'Deployment', 'mongodb-v1').spec.replicas).toBe(1);
      expect(named(scaled, 'Deployment', 'ratings-v2').spec.replicas).toBe(3);
    });
  });

  describe('ratings v2 with MySQL', () => {
    const manifests = bookinfoManifests(MYSQL);

    test('snapshot of the objects the default does not have', () => {
      expect(beyondDefault(manifests)).toMatchSnapshot();
    });

    test('objects: ratings-v2-mysql and MySQL; no Secret is written', () => {
      expect(kindsAndNames(manifests)).toEqual(
        expect.arrayContaining([
          'Deployment/ratings-v2-mysql',
          'ServiceAccount/bookinfo-ratings-v2',
          'Service/mysqldb',
          'ServiceAccount/bookinfo-mysqldb',
          'Deployment/mysqldb-v1',
        ]),
      );
      expect(kindsAndNames(manifests).filter((n) => n.includes('mongodb'))).toEqual([]);
      expect(ofKind(manifests, 'Secret')).toEqual([]);
    });

    test('both MySQL and ratings read the password from the Secret, never from a literal', () => {
      const secretRef = { valueFrom: { secretKeyRef: { name: 'mysql-credentials', key: 'rootpasswd' } } };
      expect(containerOf(named(manifests, 'Deployment', 'mysqldb-v1')).env).toEqual([
        { name: 'MYSQL_ROOT_PASSWORD', ...secretRef },
      ]);
      const ratings = named(manifests, 'Deployment', 'ratings-v2-mysql');
      expect(containerOf(ratings).image).toBe(`${REGISTRY}/examples-bookinfo-ratings-v2:1.20.3`);
      expect(podTemplate(ratings).metadata.labels).toEqual({ app: 'ratings', version: 'v2-mysql' });
      expect(containerOf(ratings).env).toEqual([
        { name: 'DB_TYPE', value: 'mysql' },
        { name: 'MYSQL_DB_HOST', value: 'mysqldb' },
        { name: 'MYSQL_DB_PORT', value: '3306' },
        { name: 'MYSQL_DB_USER', value: 'root' },
        { name: 'MYSQL_DB_PASSWORD', ...secretRef },
      ]);
      expect(JSON.stringify(manifests)).not.toMatch(/"value":"password"/);
      expect(named(manifests, 'Service', 'mysqldb').spec).toEqual({
        ports: [{ port: 3306, name: 'mysql' }],
        selector: { app: 'mysqldb' },
      });
    });

    test('the Secret name and key come from config', () => {
      const custom = bookinfoManifests({
        ...MYSQL,
        mysqlCredentials: { secretName: 'bookinfo-db-root', key: 'password' },
      });
      for (const name of ['mysqldb-v1', 'ratings-v2-mysql']) {
        const refs = containerOf(named(custom, 'Deployment', name)).env.filter((e: any) => e.valueFrom);
        expect(refs.map((e: any) => e.valueFrom.secretKeyRef)).toEqual([{ name: 'bookinfo-db-root', key: 'password' }]);
      }
    });
  });
});

describe('constructs used directly', () => {
  const env = environmentWith(ALL_MONGODB);

  test('the chart exposes its services, with the identities their versions run as', () => {
    const chart = new WorkloadsChart(new App(), 'workloads', {
      namespace: 'bookinfo',
      services: serviceCatalogue(env).services,
    });
    expect(chart.services.get('ratings')?.identities).toEqual([
      { namespace: 'bookinfo', serviceAccount: 'bookinfo-ratings' },
      { namespace: 'bookinfo', serviceAccount: 'bookinfo-ratings-v2' },
    ]);
    expect(chart.services.get('mongodb')?.versions).toEqual(['v1']);
  });

  test('a Deployment with bad replicas, port or user, or a service without versions, is refused with its name and value', () => {
    const build =
      (
        replicas: number,
        port: number,
        runAsUser?: number,
        versions = [{ version: 'v1', image: 'x', replicas, runAsUser }],
      ) =>
      () =>
        new MeshService(new Chart(new App(), 'chart'), 'reviews', { ports: [{ port }], versions });
    expect(build(-1, 9080)).toThrow('reviews-v1: replicas = -1: must be a whole number, 0 or more');
    expect(build(1.5, 9080)).toThrow('reviews-v1: replicas = 1.5');
    expect(build(1, 70000)).toThrow('reviews-v1: port = 70000: must be a port number from 1 to 65535');
    expect(build(1, 9080, 0)).toThrow('reviews-v1: runAsUser = 0: must be a non-root user id, 1 or more');
    expect(build(1, 9080, undefined, [])).toThrow(
      'MeshService "reviews": versions is empty; give at least one version with its image',
    );
    const misnamed = () =>
      new MeshService(new Chart(new App(), 'chart'), 'reviews', {
        ports: [{ port: 9080, name: 'web' }],
        versions: [{ version: 'v1', image: 'x' }],
      });
    expect(misnamed).toThrow(
      'MeshService "reviews": port 9080 name = "web": must be "http" or start with "http-", so that Istio reads its protocol',
    );
  });
});

test.each(testEnvironments().map((e) => [e.name, e]))(
  'environment %s: the workloads file comes after the namespace and the security policies, and matches the chart',
  (_name, env) => {
    const charts = synthesizeKubernetes(env);
    const index = charts.findIndex((c) => c.file.endsWith('-workloads.k8s.yaml'));
    const before = charts.slice(0, index).map((c) => c.file.slice(5));
    expect(before).toEqual(expect.arrayContaining(['namespace.k8s.yaml', 'security.k8s.yaml']));
    const chart = new WorkloadsChart(new App(), 'workloads', {
      namespace: env.namespace,
      services: serviceCatalogue(env).services,
    });
    expect(kindsAndNames(charts[index].manifests)).toEqual(kindsAndNames(chart.toJson()));
  },
);
