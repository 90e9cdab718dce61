// Which istioctl analyzers can speak for a message code offline. `istioctl analyze --use-kube=false` leaves out the
// runtime kinds (Pods, Namespaces, ...) and skips every analyzer that needs them (it lists them with --verbose); a
// code only those analyzers report cannot appear offline, which is a limit of the tool, not an agreement.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { run } from './process';

/** `--verbose`'s "Skipped analyzers:" list for these inputs. */
export function skippedAnalyzers(istioctl: string, files: readonly string[]): Set<string> {
  const result = run(istioctl, [
    'analyze',
    '--all-namespaces',
    '--use-kube=false',
    '--verbose',
    '--failure-threshold',
    'Error',
    ...files,
  ]);
  const text = `${result.stdout}\n${result.stderr}`;
  const skipped = /Skipped analyzers:\n((?:\s+\S+\n)*)/.exec(text)?.[1] ?? '';
  return new Set(
    skipped
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

/**
 * Message code to the analyzers whose source reports it, read from the istioctl module's own source
 * (pkg/config/analysis/msg/messages.yaml for the names, and each analyzer file's `Name:` and `msg.New<Name>(` calls).
 */
export function analyzersByCode(istioSource: string): Map<string, Set<string>> {
  const messages = parse(fs.readFileSync(path.join(istioSource, 'pkg/config/analysis/msg/messages.yaml'), 'utf8')) as {
    messages: { name: string; code: string }[];
  };
  const codeOf = new Map(messages.messages.map((m) => [m.name, m.code]));
  const byCode = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.go') && !entry.name.endsWith('_test.go')) {
        const source = fs.readFileSync(file, 'utf8');
        const names = [...source.matchAll(/Name:\s*"([A-Za-z0-9]+\.[A-Za-z0-9]+)"/g)].map((m) => m[1]);
        for (const [, message] of source.matchAll(/msg\.New([A-Za-z0-9]+)\(/g)) {
          const code = codeOf.get(message);
          if (!code) continue;
          const set = byCode.get(code) ?? new Set<string>();
          for (const name of names) set.add(name);
          byCode.set(code, set);
        }
      }
    }
  };
  walk(path.join(istioSource, 'pkg/config/analysis/analyzers'));
  return byCode;
}
