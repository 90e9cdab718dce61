import {
  BOOKINFO_DATABASES,
  BOOKINFO_PORT,
  bookinfoResources,
  bookinfoWorkloads,
  type BookinfoConfig,
  type BookinfoWorkload,
} from './bookinfo';
import {
  namedPorts,
  type EmptyDirMount,
  type EnvVarRecord,
  type HealthProbe,
  type ServiceRecord,
  type ServiceVersionRecord,
} from './services';

/** What an upstream Bookinfo image needs in its pod, from upstream's manifests, Dockerfiles and sources. */
interface UpstreamImage {
  readonly image: string;
  readonly env: readonly EnvVarRecord[];
  readonly emptyDirs: readonly EmptyDirMount[];
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** The image's own non-root user, made explicit so that the kubelet can enforce runAsNonRoot. */
  readonly runAsUser: number;
  /** True only where the source shows the app writes nowhere but its mounted volumes. */
  readonly readOnlyRootFilesystem: boolean;
  /** @default - none: no probes, since the app serves no health endpoint */
  readonly probes?: HealthProbe;
}

// Image users: the Dockerfiles under samples/bookinfo/src end with `USER 1000` (details, ratings); reviews runs on
// Open Liberty as its user 1001 (reviews/Dockerfile: `USER 1001`); productpage ran as runAsUser 1000 in upstream
// bookinfo.yaml up to 1.17 and writes only to /tmp. The database images are the official mongo and mysql images,
// whose `mongodb` and `mysql` users are 999; their entrypoints run unchanged as that user when not started as root.
const APP_USER = 1000;
const LIBERTY_USER = 1001;
const DATABASE_USER = 999;

const tmp: EmptyDirMount = { name: 'tmp', mountPath: '/tmp' };

/**
 * The upstream facts of one Bookinfo workload, for the configured registry, tag and MySQL credentials.
 * Sources (istio/istio, samples/bookinfo): platform/kube/bookinfo.yaml and its variants for env, volumes and
 * annotations; src/<app>/ for health endpoints (`/health` in productpage.py, details.rb, ratings.js and
 * LibertyRestEndpoint.java) and for where each app writes.
 */
function upstreamImage(workload: BookinfoWorkload, config: BookinfoConfig): UpstreamImage {
  const image = (name: string) => `${config.registry}/examples-bookinfo-${name}:${config.tag}`;
  const mysqlPassword = (name: string): EnvVarRecord => ({
    name,
    valueFrom: { secretKeyRef: { name: config.mysqlCredentials.secretName, key: config.mysqlCredentials.key } },
  });
  const app = { env: [], emptyDirs: [], podAnnotations: {}, runAsUser: APP_USER };
  const fastStart: HealthProbe = { path: '/health', startupSeconds: 60 };

  switch (workload.app) {
    case 'details':
      // details.rb serves from memory with WEBrick and writes no files.
      return {
        ...app,
        image: image(`details-${workload.version}`),
        env: workload.version === 'v2' ? [{ name: 'DO_NOT_ENCRYPT', value: 'true' }] : [],
        readOnlyRootFilesystem: true,
        probes: fastStart,
      };
    case 'ratings': {
      // ratings.js keeps ratings in memory (v1) or reads a database (v2); it writes no files.
      const env: EnvVarRecord[] =
        workload.version === 'v2'
          ? [{ name: 'MONGO_DB_URL', value: 'mongodb://mongodb:27017/test' }]
          : workload.version === 'v2-mysql'
            ? [
                { name: 'DB_TYPE', value: 'mysql' },
                { name: 'MYSQL_DB_HOST', value: 'mysqldb' },
                { name: 'MYSQL_DB_PORT', value: '3306' },
                { name: 'MYSQL_DB_USER', value: 'root' },
                // Upstream writes the password here as a literal; we read it from the Secret mysqldb uses.
                mysqlPassword('MYSQL_DB_PASSWORD'),
              ]
            : [];
      return {
        ...app,
        // v2-mysql is the v2 image configured for MySQL (bookinfo-ratings-v2-mysql.yaml).
        image: image(`ratings-${workload.version === 'v2-mysql' ? 'v2' : workload.version}`),
        env,
        readOnlyRootFilesystem: true,
        probes: fastStart,
      };
    }
    case 'reviews':
      // Liberty writes its logs to LOG_DIR and its work area and JVM class cache under its output directory, which in
      // the Open Liberty base image is /opt/ol/wlp/output, not the /opt/ibm/wlp/output that upstream mounts: the root
      // filesystem must stay writable.
      return {
        ...app,
        image: image(`reviews-${workload.version}`),
        env: [{ name: 'LOG_DIR', value: '/tmp/logs' }],
        emptyDirs: [tmp, { name: 'wlp-output', mountPath: '/opt/ibm/wlp/output' }],
        runAsUser: LIBERTY_USER,
        readOnlyRootFilesystem: false,
        // The JVM and Liberty take tens of seconds to start on a small CPU limit.
        probes: { path: '/health', startupSeconds: 180 },
      };
    case 'productpage':
      // productpage.py writes no files of its own; temporary files go to the /tmp emptyDir upstream mounts, and Python
      // skips bytecode caches it cannot write.
      return {
        ...app,
        image: image(`productpage-${workload.version}`),
        emptyDirs: [tmp],
        podAnnotations: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '9080',
          'prometheus.io/path': '/metrics',
        },
        readOnlyRootFilesystem: true,
        probes: fastStart,
      };
    case 'mongodb':
      // bookinfo-db.yaml: data in an emptyDir at /data/db. mongod also writes its socket to /tmp.
      return {
        ...app,
        image: image('mongodb'),
        emptyDirs: [{ name: 'data-db', mountPath: '/data/db' }],
        runAsUser: DATABASE_USER,
        readOnlyRootFilesystem: false,
      };
    case 'mysqldb':
      // bookinfo-mysql.yaml: root password from a Secret. mysqld writes to /var/lib/mysql and /var/run/mysqld.
      return {
        ...app,
        image: image('mysqldb'),
        env: [mysqlPassword('MYSQL_ROOT_PASSWORD')],
        runAsUser: DATABASE_USER,
        readOnlyRootFilesystem: false,
      };
  }
}

/**
 * Bookinfo as catalogue records: one per app that runs (services in upstream bookinfo.yaml's order, then the databases
 * the configured ratings versions read), with the configured versions, images, replicas, resources, labels and
 * annotations. Identities are upstream's: `bookinfo-<app>` labelled `account: <app>`, and `bookinfo-ratings-v2` for
 * the database-backed ratings versions.
 */
export function bookinfoCatalogue(config: BookinfoConfig): ServiceRecord[] {
  const workloads = bookinfoWorkloads(config.versions);
  return [...new Set(workloads.map((w) => w.app))].map((app) => {
    const database = app === 'mongodb' || app === 'mysqldb' ? BOOKINFO_DATABASES[app] : undefined;
    const versions = workloads
      .filter((w) => w.app === app)
      .map((workload): ServiceVersionRecord => {
        const upstream = upstreamImage(workload, config);
        return {
          ...upstream,
          version: workload.version,
          // A database keeps its data in an emptyDir, which replicas cannot share: always one.
          replicas: database ? 1 : (config.replicasByDeployment[workload.deployment] ?? config.replicas),
          resources: bookinfoResources(config, workload),
          podAnnotations: { ...config.podAnnotations, ...upstream.podAnnotations },
          identity: {
            serviceAccount: workload.serviceAccount,
            labels: { account: workload.serviceAccount.replace(/^bookinfo-/, '') },
          },
        };
      });
    return {
      name: app,
      ports: namedPorts([database ?? { port: BOOKINFO_PORT, protocol: 'http' }]),
      database: database !== undefined,
      versions,
      labels: config.labels,
      annotations: config.annotations,
    };
  });
}
