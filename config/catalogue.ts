import { BOOKINFO_APP_VERSIONS, BOOKINFO_DATABASES, BOOKINFO_PORT, type BookinfoConfig } from './bookinfo';
import { bookinfoCatalogue } from './bookinfo-catalogue';
import { HTTP_PROTOCOLS, type ServiceRecord } from './services';

/** A service the call graph may name: its versions (running or not) and its ports. */
export interface KnownService {
  readonly versions: readonly string[];
  readonly ports: readonly number[];
  /** Whether a port carries HTTP, so that methods and paths can match its requests (not a database's). */
  readonly http: boolean;
}

/**
 * The services of an environment: Bookinfo's records, then the environment's own. The charts write the running ones;
 * the call graph may also name Bookinfo's apps and versions that do not run now (an edge from them stays closed).
 */
export class ServiceCatalogue {
  /** Services that run, in the order their objects are written. */
  public readonly services: readonly ServiceRecord[];
  private readonly knownServices: Readonly<Record<string, KnownService>>;

  constructor(services: readonly ServiceRecord[], known: Readonly<Record<string, KnownService>> = {}) {
    this.services = services;
    const running = Object.fromEntries(
      services.map((s) => {
        const versions = [...new Set([...(known[s.name]?.versions ?? []), ...s.versions.map((v) => v.version)])];
        return [
          s.name,
          {
            versions,
            ports: s.ports.map((p) => p.port),
            http: s.ports.some((p) => HTTP_PROTOCOLS.includes(p.protocol)),
          },
        ];
      }),
    );
    this.knownServices = { ...known, ...running };
  }

  /** The running service of that name. */
  public service(name: string): ServiceRecord | undefined {
    return this.services.find((s) => s.name === name);
  }

  /** Services that carry HTTP: every one but the databases. */
  public get httpServices(): ServiceRecord[] {
    return this.services.filter((s) => !s.database);
  }

  /** Every service the call graph may name, with every version it may name. */
  public get knownVersions(): Record<string, readonly string[]> {
    return Object.fromEntries(Object.entries(this.knownServices).map(([name, k]) => [name, k.versions]));
  }

  /** The versions that run, by service. */
  public get deployedVersions(): Record<string, readonly string[]> {
    return Object.fromEntries(this.services.map((s) => [s.name, s.versions.map((v) => v.version)]));
  }

  /** Every service the call graph may name, as it may name it. */
  public known(name: string): KnownService | undefined {
    return this.knownServices[name];
  }

  /** The port a call to the service goes to when the call names none: its first. */
  public defaultPort(name: string): number | undefined {
    return this.knownServices[name]?.ports[0];
  }
}

/** Every app Bookinfo can run, with its versions and ports: what the call graph may name even when it does not run. */
const BOOKINFO_KNOWN: Readonly<Record<string, KnownService>> = Object.fromEntries(
  Object.entries(BOOKINFO_APP_VERSIONS).map(([app, versions]) => [
    app,
    app in BOOKINFO_DATABASES
      ? { versions, ports: [BOOKINFO_DATABASES[app as keyof typeof BOOKINFO_DATABASES].port], http: false }
      : { versions, ports: [BOOKINFO_PORT], http: true },
  ]),
);

/** The catalogue of an environment: Bookinfo's records, then its own `services`. */
export function serviceCatalogue(env: {
  readonly bookinfo: BookinfoConfig;
  readonly services: readonly ServiceRecord[];
}): ServiceCatalogue {
  return new ServiceCatalogue([...bookinfoCatalogue(env.bookinfo), ...env.services], BOOKINFO_KNOWN);
}
