import * as fs from 'node:fs';
import * as path from 'node:path';
import { answerOf, log, outcomeOf, run, type Attempt } from '../process';
import type { Tool } from './tool';

/** Checkov, pinned, from PyPI into a virtualenv of its own in the cache. */
export const CHECKOV_VERSION = '3.3.30';

export function installCheckov(cache: string): Tool {
  const venv = path.join(cache, `checkov-${CHECKOV_VERSION}`);
  const binary = path.join(venv, 'bin', 'checkov');
  const tool = {
    name: 'Checkov',
    wanted: CHECKOV_VERSION,
    version: CHECKOV_VERSION,
    source: `PyPI checkov==${CHECKOV_VERSION} (pip, in a virtualenv)`,
  };
  const what = `pip install checkov==${CHECKOV_VERSION}`;
  // The marker is written last: a venv without it is a half-finished install and is made again.
  const marker = path.join(venv, '.installed');
  if (fs.existsSync(marker))
    return { ...tool, path: binary, attempts: [{ what, outcome: 'cached', answer: `already in ${venv}` }] };
  const attempts: Attempt[] = [];
  fs.rmSync(venv, { recursive: true, force: true });
  log(`Checkov: ${what} into ${venv}`);
  const created = run('python3', ['-m', 'venv', venv]);
  if (created.code !== 0) {
    attempts.push({ what: `python3 -m venv ${venv}`, outcome: 'failed', answer: answerOf(created) });
    return { name: tool.name, wanted: tool.wanted, attempts };
  }
  const installed = run(path.join(venv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    `checkov==${CHECKOV_VERSION}`,
  ]);
  const outcome = outcomeOf(installed);
  attempts.push({
    what,
    outcome,
    answer: outcome === 'installed' ? `installed in ${Math.round(installed.seconds)} s` : answerOf(installed),
    seconds: installed.seconds,
  });
  if (outcome !== 'installed') return { name: tool.name, wanted: tool.wanted, attempts };
  fs.writeFileSync(marker, `${CHECKOV_VERSION}\n`);
  return { ...tool, path: binary, attempts };
}
