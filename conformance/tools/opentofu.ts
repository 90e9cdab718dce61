import * as fs from 'node:fs';
import * as path from 'node:path';
import { answerOf, log, outcomeOf, runLong, type Attempt } from '../process';
import { goModDownload, type Tool } from './tool';

/** The OpenTofu release the Terraform check runs (Terraform 1.x configuration language; MPL, built from its module). */
export const OPENTOFU_VERSION = 'v1.10.6';
const OPENTOFU_MODULE = 'github.com/opentofu/opentofu';

/**
 * OpenTofu from its Go module. `go install …@version` refuses a module whose go.mod has replace directives, so it is
 * built in a throw-away module of our own that requires it and carries its replace lines and go.sum over.
 */
export async function installOpenTofu(cache: string): Promise<Tool> {
  const attempts: Attempt[] = [];
  const bindir = path.join(cache, 'opentofu', OPENTOFU_VERSION);
  const binary = path.join(bindir, 'tofu');
  const tool = {
    name: 'OpenTofu',
    wanted: OPENTOFU_VERSION,
    version: OPENTOFU_VERSION,
    source: `${OPENTOFU_MODULE}@${OPENTOFU_VERSION} (cmd/tofu)`,
  };
  if (fs.existsSync(binary)) {
    return {
      ...tool,
      path: binary,
      attempts: [{ what: `build ${tool.source}`, outcome: 'cached', answer: `already built in ${bindir}` }],
    };
  }
  const download = goModDownload(OPENTOFU_MODULE, OPENTOFU_VERSION);
  attempts.push(download.attempt);
  if (!download.source) return { name: tool.name, wanted: tool.wanted, attempts };
  const work = path.join(cache, 'build', `opentofu-${OPENTOFU_VERSION}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const upstreamMod = fs.readFileSync(download.source.goMod, 'utf8');
  const goVersion = /^go (\S+)$/m.exec(upstreamMod)?.[1] ?? '1.24';
  const replaces = upstreamMod.split('\n').filter((line) => line.startsWith('replace '));
  fs.writeFileSync(
    path.join(work, 'go.mod'),
    [
      `module local/tofubuild`,
      `go ${goVersion}`,
      `require ${OPENTOFU_MODULE} ${OPENTOFU_VERSION}`,
      ...replaces,
      '',
    ].join('\n'),
  );
  fs.copyFileSync(path.join(download.source.dir, 'go.sum'), path.join(work, 'go.sum'));
  fs.writeFileSync(
    path.join(work, 'tools.go'),
    `//go:build tools\npackage tools\nimport _ "${OPENTOFU_MODULE}/cmd/tofu"\n`,
  );
  const partial = `${binary}.partial-${process.pid}`;
  fs.mkdirSync(bindir, { recursive: true });
  log(`OpenTofu: building ${tool.source} (a cold build takes about 3 minutes)`);
  const result = await runLong('OpenTofu', 'go', ['build', '-o', partial, `${OPENTOFU_MODULE}/cmd/tofu`], {
    cwd: work,
    env: { GOFLAGS: '-mod=mod' },
  });
  const outcome = outcomeOf(result);
  attempts.push({
    what: `go build ${OPENTOFU_MODULE}/cmd/tofu in a module requiring ${OPENTOFU_VERSION} with its replace directives`,
    outcome,
    answer: outcome === 'installed' ? `built in ${Math.round(result.seconds)} s` : answerOf(result),
    seconds: result.seconds,
  });
  if (outcome !== 'installed') return { name: tool.name, wanted: tool.wanted, attempts };
  fs.renameSync(partial, binary);
  return { ...tool, path: binary, attempts };
}

/** A Terraform provider our bindings wrap, at exactly the version they were generated for. */
export interface ProviderPin {
  /** As the stacks' required_providers name it (source `google` is registry.opentofu.org/hashicorp/google). */
  readonly type: string;
  readonly version: string;
  /** The Go module versions to ask for, in order: the module path as tagged, its +incompatible form, … */
  readonly candidates: readonly { readonly module: string; readonly version: string }[];
}

/** @cdktf/provider-google 16.12.1 and -google-beta 16.12.1 wrap 6.50.0; @cdktf/provider-helm 12.1.2 wraps 3.1.1. */
export const PROVIDERS: readonly ProviderPin[] = [
  {
    type: 'google',
    version: '6.50.0',
    candidates: [
      { module: 'github.com/hashicorp/terraform-provider-google', version: 'v6.50.0' },
      { module: 'github.com/hashicorp/terraform-provider-google', version: 'v6.50.0+incompatible' },
    ],
  },
  {
    type: 'google-beta',
    version: '6.50.0',
    candidates: [
      { module: 'github.com/hashicorp/terraform-provider-google-beta', version: 'v6.50.0' },
      { module: 'github.com/hashicorp/terraform-provider-google-beta', version: 'v6.50.0+incompatible' },
    ],
  },
  {
    type: 'helm',
    version: '3.1.1',
    candidates: [
      { module: 'github.com/hashicorp/terraform-provider-helm/v3', version: 'v3.1.1' },
      { module: 'github.com/hashicorp/terraform-provider-helm', version: 'v3.1.1+incompatible' },
    ],
  },
];

/** Where `tofu init` finds the providers: a filesystem mirror in the unpacked layout. */
export function pluginDir(cache: string): string {
  return path.join(cache, 'terraform-plugins');
}

const PLATFORM = 'linux_amd64';

/**
 * Each provider built from its Go module into the plugin directory
 * (`registry.opentofu.org/hashicorp/<type>/<version>/linux_amd64/terraform-provider-<type>_v<version>`).
 */
export async function installProviders(cache: string): Promise<Tool[]> {
  const tools: Tool[] = [];
  for (const pin of PROVIDERS) {
    const name = `provider hashicorp/${pin.type}`;
    const dir = path.join(pluginDir(cache), 'registry.opentofu.org', 'hashicorp', pin.type, pin.version, PLATFORM);
    const binary = path.join(dir, `terraform-provider-${pin.type}_v${pin.version}`);
    if (fs.existsSync(binary)) {
      tools.push({
        name,
        wanted: pin.version,
        path: binary,
        version: pin.version,
        source: pin.candidates[0].module,
        attempts: [{ what: `build ${pin.candidates[0].module}`, outcome: 'cached', answer: `already built in ${dir}` }],
      });
      continue;
    }
    const attempts: Attempt[] = [];
    let built: Tool | undefined;
    for (const candidate of pin.candidates) {
      const download = goModDownload(candidate.module, candidate.version);
      attempts.push(download.attempt);
      if (!download.source) continue;
      fs.mkdirSync(dir, { recursive: true });
      const partial = `${binary}.partial-${process.pid}`;
      const result = await runLong(name, 'go', ['build', '-o', partial, '.'], { cwd: download.source.dir });
      const outcome = outcomeOf(result);
      attempts.push({
        what: `go build ${candidate.module}@${candidate.version}`,
        outcome,
        answer: outcome === 'installed' ? `built in ${Math.round(result.seconds)} s` : answerOf(result),
        seconds: result.seconds,
      });
      if (outcome === 'installed') {
        fs.renameSync(partial, binary);
        built = {
          name,
          wanted: pin.version,
          path: binary,
          version: pin.version,
          source: `${candidate.module}@${candidate.version}`,
          attempts,
        };
        break;
      }
    }
    tools.push(built ?? { name, wanted: pin.version, attempts });
  }
  return tools;
}
